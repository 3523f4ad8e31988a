package dev.continuity.journal.memory;

import dev.continuity.journal.WorkLease;
import dev.continuity.journal.WorkLeases;
import dev.continuity.journal.spi.WorkLeaseRules;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/** The leases of an {@link InMemoryTurnJournal}: shared by the instances of one JVM that share the journal. */
final class InMemoryWorkLeases implements WorkLeases {

    private final Map<String, TreeMap<String, WorkLease>> byScope = new ConcurrentHashMap<>();
    private final Runnable ensureOpen;

    InMemoryWorkLeases(Runnable ensureOpen) {
        this.ensureOpen = ensureOpen;
    }

    @Override
    public Optional<WorkLease> get(String scope, String name) {
        ensureOpen.run();
        TreeMap<String, WorkLease> leases = byScope.get(scope);
        if (leases == null) {
            return Optional.empty();
        }
        synchronized (leases) {
            return Optional.ofNullable(leases.get(name));
        }
    }

    @Override
    public Optional<WorkLease> compareAndSet(WorkLease lease, long expectedVersion) {
        WorkLeaseRules.check(lease, expectedVersion);
        ensureOpen.run();
        TreeMap<String, WorkLease> leases = byScope.computeIfAbsent(lease.scope(), s -> new TreeMap<>());
        synchronized (leases) {
            WorkLease stored = leases.get(lease.name());
            long storedVersion = stored == null ? 0 : stored.version();
            if (storedVersion != expectedVersion) {
                return Optional.empty();
            }
            WorkLease next = WorkLeaseRules.stored(lease, expectedVersion);
            leases.put(lease.name(), next);
            return Optional.of(next);
        }
    }

    @Override
    public boolean compareAndDelete(String scope, String name, long expectedVersion) {
        WorkLeaseRules.checkDelete(scope, name, expectedVersion);
        ensureOpen.run();
        TreeMap<String, WorkLease> leases = byScope.get(scope);
        if (leases == null) {
            return false;
        }
        synchronized (leases) {
            WorkLease stored = leases.get(name);
            if (stored == null || stored.version() != expectedVersion) {
                return false;
            }
            leases.remove(name);
            return true;
        }
    }

    @Override
    public List<WorkLease> list(String scope) {
        ensureOpen.run();
        TreeMap<String, WorkLease> leases = byScope.get(scope);
        if (leases == null) {
            return List.of();
        }
        synchronized (leases) {
            return List.copyOf(leases.values());
        }
    }
}
