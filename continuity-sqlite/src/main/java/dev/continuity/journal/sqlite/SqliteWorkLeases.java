package dev.continuity.journal.sqlite;

import dev.continuity.journal.WorkLease;
import dev.continuity.journal.WorkLeases;
import dev.continuity.journal.spi.WorkLeaseRules;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The leases of a {@link SqliteTurnJournal}, in its {@code work_lease} table: every process that opens the file shares
 * them. A compare-and-set (or -delete) runs inside the writer's transaction, which SQLite's lock serializes across
 * processes.
 */
final class SqliteWorkLeases implements WorkLeases {

    private static final String COLUMNS = "scope, name, owner, expires_at, state, version";
    private static final String SELECT_ONE = "SELECT " + COLUMNS + " FROM work_lease WHERE scope = ? AND name = ?";
    private static final String SELECT_SCOPE = "SELECT " + COLUMNS + " FROM work_lease WHERE scope = ? ORDER BY name";
    private static final String SELECT_VERSION = "SELECT version FROM work_lease WHERE scope = ? AND name = ?";
    private static final String DELETE = "DELETE FROM work_lease WHERE scope = ? AND name = ? AND version = ?";
    private static final String UPSERT = "INSERT OR REPLACE INTO work_lease (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?)";

    private final GroupCommitWriter writer;
    private final ReadConnectionPool readers;

    SqliteWorkLeases(GroupCommitWriter writer, ReadConnectionPool readers) {
        this.writer = writer;
        this.readers = readers;
    }

    @Override
    public Optional<WorkLease> get(String scope, String name) {
        return readers.run("read of work lease '" + scope + "/" + name + "'", c -> {
            PreparedStatement select = c.prepare(SELECT_ONE);
            select.setString(1, scope);
            select.setString(2, name);
            try (ResultSet rs = select.executeQuery()) {
                return rs.next() ? Optional.of(lease(rs)) : Optional.empty();
            }
        });
    }

    @Override
    public Optional<WorkLease> compareAndSet(WorkLease lease, long expectedVersion) {
        WorkLeaseRules.check(lease, expectedVersion);
        WorkLease next = WorkLeaseRules.stored(lease, expectedVersion);
        long expiresAt = TurnRows.nanos(lease.expiresAt(), "expiresAt of work lease '" + lease.name() + "'");
        return writer.submit("write of work lease '" + lease.scope() + "/" + lease.name() + "'", c -> {
            PreparedStatement select = c.prepare(SELECT_VERSION);
            select.setString(1, lease.scope());
            select.setString(2, lease.name());
            long stored;
            try (ResultSet rs = select.executeQuery()) {
                stored = rs.next() ? rs.getLong(1) : 0;
            }
            if (stored != expectedVersion) {
                return Optional.<WorkLease>empty();
            }
            PreparedStatement upsert = c.prepare(UPSERT);
            upsert.setString(1, next.scope());
            upsert.setString(2, next.name());
            upsert.setString(3, next.owner());
            upsert.setLong(4, expiresAt);
            upsert.setString(5, next.state());
            upsert.setLong(6, next.version());
            upsert.executeUpdate();
            return Optional.of(next);
        });
    }

    @Override
    public boolean compareAndDelete(String scope, String name, long expectedVersion) {
        WorkLeaseRules.checkDelete(scope, name, expectedVersion);
        return writer.submit("delete of work lease '" + scope + "/" + name + "'", c -> {
            PreparedStatement delete = c.prepare(DELETE);
            delete.setString(1, scope);
            delete.setString(2, name);
            delete.setLong(3, expectedVersion);
            return delete.executeUpdate() == 1;
        });
    }

    @Override
    public List<WorkLease> list(String scope) {
        return readers.run("listing of work leases '" + scope + "'", c -> {
            PreparedStatement select = c.prepare(SELECT_SCOPE);
            select.setString(1, scope);
            List<WorkLease> leases = new ArrayList<>();
            try (ResultSet rs = select.executeQuery()) {
                while (rs.next()) {
                    leases.add(lease(rs));
                }
            }
            return leases;
        });
    }

    private static WorkLease lease(ResultSet rs) throws SQLException {
        return new WorkLease(rs.getString(1), rs.getString(2), rs.getString(3), TurnRows.instant(rs.getLong(4)),
                rs.getString(5), rs.getLong(6));
    }
}
