package dev.continuity.journal.sqlite;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.continuity.journal.ConversationHead;
import dev.continuity.journal.JournalException;
import dev.continuity.journal.RegionCursor;
import dev.continuity.journal.Tenants;
import dev.continuity.journal.TokenUsage;
import dev.continuity.journal.Turn;
import dev.continuity.journal.TurnStatus;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.util.Iterator;
import java.util.Map;
import java.util.TreeMap;

/** Maps turns and heads to rows of the {@code turn} and {@code conversation} tables and back. */
final class TurnRows {

    /** Columns of {@code turn}, in the order of {@link #INSERT_TURN}'s parameters. */
    static final String TURN_COLUMNS = "conversation_key, sequence, agent_name, agent_version, input_json, "
            + "output_json, response_id, region, input_tokens, output_tokens, total_tokens, status, started_at, "
            + "completed_at, options_json";

    /** Inserts a turn; parameters bound by {@link #bindTurn}. */
    static final String INSERT_TURN = "INSERT INTO turn (" + TURN_COLUMNS
            + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";

    /**
     * {@code SELECT <a turn's row packed into one value>} ({@link PackedRow}; read by {@link #turn(ResultSet)}) for a
     * journal of {@code schemaVersion}: a version-1 journal opened read-only (not upgraded) has no
     * {@code options_json}; its turns have no options.
     */
    static String selectTurn(int schemaVersion) {
        return "SELECT " + PackedRow.of(PackedRow.text("conversation_key"), PackedRow.integer("sequence"),
                PackedRow.text("agent_name"), PackedRow.text("agent_version"), PackedRow.text("input_json"),
                PackedRow.text("output_json"), PackedRow.text("response_id"), PackedRow.text("region"),
                PackedRow.integer("input_tokens"), PackedRow.integer("output_tokens"),
                PackedRow.integer("total_tokens"), PackedRow.text("status"), PackedRow.integer("started_at"),
                PackedRow.integer("completed_at"), PackedRow.text(schemaVersion >= 2 ? "options_json" : "NULL"));
    }

    /** Columns of {@code conversation}, in the order of an insert's parameters. */
    static final String HEAD_COLUMNS = "conversation_key, agent_name, agent_version, last_sequence, created_at, "
            + "activity, regions_json, version, tenant";

    /**
     * {@code SELECT <a head's row packed into one value>} ({@link PackedRow}; read by {@link #head(ResultSet)}) for a
     * journal of {@code schemaVersion}: a journal before version 3 opened read-only has no {@code tenant}; its
     * conversations belong to the default tenant.
     */
    static String selectHead(int schemaVersion) {
        return "SELECT " + PackedRow.of(PackedRow.text("conversation_key"), PackedRow.text("agent_name"),
                PackedRow.text("agent_version"), PackedRow.integer("last_sequence"), PackedRow.integer("created_at"),
                PackedRow.integer("activity"), PackedRow.text("regions_json"), PackedRow.integer("version"),
                PackedRow.text(schemaVersion >= 3 ? "tenant" : "'" + Tenants.DEFAULT + "'"));
    }

    private static final long NANOS_PER_SECOND = 1_000_000_000L;

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private TurnRows() {
    }

    /** Binds the 15 parameters of {@link #INSERT_TURN}. */
    static void bindTurn(PreparedStatement insert, Turn turn, String inputJson, String outputJson)
            throws SQLException {
        insert.setString(1, turn.conversationKey());
        insert.setLong(2, turn.sequence());
        insert.setString(3, turn.agentName());
        setNullableString(insert, 4, turn.agentVersion());
        insert.setString(5, inputJson);
        insert.setString(6, outputJson);
        setNullableString(insert, 7, turn.responseId());
        setNullableString(insert, 8, turn.region());
        insert.setLong(9, turn.usage().inputTokens());
        insert.setLong(10, turn.usage().outputTokens());
        insert.setLong(11, turn.usage().totalTokens());
        insert.setString(12, turn.status().name());
        String what = "turn " + turn.sequence() + " of conversation '" + turn.conversationKey() + "'";
        insert.setLong(13, nanos(turn.startedAt(), "startedAt of " + what));
        if (turn.completedAt() == null) {
            insert.setNull(14, Types.INTEGER);
        } else {
            insert.setLong(14, nanos(turn.completedAt(), "completedAt of " + what));
        }
        setNullableString(insert, 15, turn.options());
    }

    /**
     * An instant as nanoseconds since the epoch, the journal's stored form.
     *
     * @param what names the value in errors
     * @throws IllegalArgumentException if the instant is outside 1677-09-21..2262-04-11
     */
    static long nanos(Instant instant, String what) {
        try {
            return Math.addExact(Math.multiplyExact(instant.getEpochSecond(), NANOS_PER_SECOND), instant.getNano());
        } catch (ArithmeticException e) {
            throw new IllegalArgumentException(what + " (" + instant + ") is outside the times the SQLite journal "
                    + "stores (1677-09-21 to 2262-04-11)", e);
        }
    }

    /** The instant of a stored time. */
    static Instant instant(long nanos) {
        return Instant.ofEpochSecond(Math.floorDiv(nanos, NANOS_PER_SECOND), Math.floorMod(nanos, NANOS_PER_SECOND));
    }

    /** The turn in the current row, selected by {@link #selectTurn}. */
    static Turn turn(ResultSet rs) throws SQLException {
        PackedRow row;
        String key;
        try {
            row = new PackedRow(rs.getBytes(1));
            key = row.text();
        } catch (IllegalArgumentException e) {
            throw new JournalException("a turn is stored in an unreadable form: " + e.getMessage(), e);
        }
        Long sequence = null;
        try {
            sequence = row.integer();
            Turn turn = new Turn(key, sequence, row.text(), row.text(),
                    ItemsJson.decode(row.text(), "input", key, sequence),
                    ItemsJson.decode(row.text(), "output", key, sequence),
                    row.text(), row.text(),
                    new TokenUsage(row.integer(), row.integer(), row.integer()),
                    TurnStatus.valueOf(row.text()),
                    instant(row.integer()),
                    instantOrNull(row.integerOrNull()),
                    row.text());
            if (!row.done()) {
                throw new IllegalArgumentException("the packed row has more columns than a turn");
            }
            return turn;
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new JournalException((sequence == null ? "a turn" : "turn " + sequence) + " of conversation '" + key
                    + "' is stored in an unreadable form: " + e.getMessage(), e);
        }
    }

    /** The head in the current row, selected by {@link #selectHead}. */
    static ConversationHead head(ResultSet rs) throws SQLException {
        PackedRow row;
        String key;
        try {
            row = new PackedRow(rs.getBytes(1));
            key = row.text();
        } catch (IllegalArgumentException e) {
            throw new JournalException("a head is stored in an unreadable form: " + e.getMessage(), e);
        }
        try {
            ConversationHead head = new ConversationHead(key, row.text(), row.text(), row.integer(),
                    instant(row.integer()), instant(row.integer()), regions(row.text(), key), row.integer(),
                    row.text());
            if (!row.done()) {
                throw new IllegalArgumentException("the packed row has more columns than a head");
            }
            return head;
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new JournalException("head of conversation '" + key + "' is stored in an unreadable form: "
                    + e.getMessage(), e);
        }
    }

    /** The region cursors as a JSON object {@code {"region": {"conversationId": .., "replayedThrough": ..}}}. */
    static String regionsJson(Map<String, RegionCursor> regions) {
        ObjectNode node = MAPPER.createObjectNode();
        regions.forEach((region, cursor) -> {
            ObjectNode entry = node.putObject(region);
            entry.put("conversationId", cursor.conversationId());
            entry.put("replayedThrough", cursor.replayedThrough());
        });
        return node.toString();
    }

    private static Map<String, RegionCursor> regions(String json, String key) {
        JsonNode node;
        try {
            node = MAPPER.readTree(json);
        } catch (JsonProcessingException e) {
            throw new JournalException("regions of conversation '" + key + "' are not valid JSON: "
                    + e.getOriginalMessage(), e);
        }
        Map<String, RegionCursor> regions = new TreeMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> entry = it.next();
            JsonNode cursor = entry.getValue();
            if (!cursor.path("conversationId").isTextual() || !cursor.path("replayedThrough").canConvertToLong()) {
                throw new JournalException("region '" + entry.getKey() + "' of conversation '" + key
                        + "' is stored without conversationId/replayedThrough: " + cursor);
            }
            regions.put(entry.getKey(), new RegionCursor(cursor.get("conversationId").asText(),
                    cursor.get("replayedThrough").asLong()));
        }
        return regions;
    }

    /** A tombstone's pending regions as a JSON object {@code {"region": "conv_..."}}. */
    static String pendingJson(Map<String, String> pending) {
        ObjectNode node = MAPPER.createObjectNode();
        pending.forEach(node::put);
        return node.toString();
    }

    /** A tombstone from {@code conversation_key, forgotten_at, pending_json}. */
    static dev.continuity.journal.Tombstone tombstone(ResultSet rs) throws SQLException {
        String key = rs.getString(1);
        Map<String, String> pending = new TreeMap<>();
        try {
            MAPPER.readTree(rs.getString(3)).fields().forEachRemaining(e -> pending.put(e.getKey(), e.getValue().asText()));
        } catch (JsonProcessingException e) {
            throw new JournalException("tombstone of conversation '" + key + "' is not valid JSON: "
                    + e.getOriginalMessage(), e);
        }
        return new dev.continuity.journal.Tombstone(key, instant(rs.getLong(2)), pending);
    }

    private static Instant instantOrNull(Long nanos) {
        return nanos == null ? null : instant(nanos);
    }

    private static void setNullableString(PreparedStatement statement, int index, String value)
            throws SQLException {
        if (value == null) {
            statement.setNull(index, Types.VARCHAR);
        } else {
            statement.setString(index, value);
        }
    }
}
