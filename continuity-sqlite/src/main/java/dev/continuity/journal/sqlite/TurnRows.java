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

    /** Columns of {@code turn} in schema version 1. */
    private static final String TURN_COLUMNS_V1 = "conversation_key, sequence, agent_name, agent_version, input_json, "
            + "output_json, response_id, region, input_tokens, output_tokens, total_tokens, status, started_at, "
            + "completed_at";

    /** Columns of {@code turn} in the order {@link #turn(ResultSet)} reads them. */
    static final String TURN_COLUMNS = TURN_COLUMNS_V1 + ", options_json";

    /** Inserts a turn; parameters bound by {@link #bindTurn}. */
    static final String INSERT_TURN = "INSERT INTO turn (" + TURN_COLUMNS
            + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";

    /**
     * The select list {@link #turn(ResultSet)} reads from a journal of {@code schemaVersion}: a version-1
     * journal opened read-only (not upgraded) has no {@code options_json}; its turns have no options.
     */
    static String turnColumns(int schemaVersion) {
        return schemaVersion >= 2 ? TURN_COLUMNS : TURN_COLUMNS_V1 + ", NULL";
    }

    /** Columns of {@code conversation} in the order {@link #head(ResultSet)} reads them. */
    static final String HEAD_COLUMNS = "conversation_key, agent_name, agent_version, last_sequence, created_at, "
            + "activity, regions_json, version, tenant";

    /**
     * The select list {@link #head(ResultSet)} reads from a journal of {@code schemaVersion}: a journal before
     * version 3 opened read-only has no {@code tenant}; its conversations belong to the default tenant.
     */
    static String headColumns(int schemaVersion) {
        return schemaVersion >= 3 ? HEAD_COLUMNS
                : HEAD_COLUMNS.substring(0, HEAD_COLUMNS.lastIndexOf(',')) + ", '" + Tenants.DEFAULT + "'";
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

    /** The turn in the current row (columns {@link #TURN_COLUMNS}). */
    static Turn turn(ResultSet rs) throws SQLException {
        String key = rs.getString(1);
        long sequence = rs.getLong(2);
        try {
            return new Turn(key, sequence, rs.getString(3), rs.getString(4),
                    ItemsJson.decode(rs.getString(5), "input", key, sequence),
                    ItemsJson.decode(rs.getString(6), "output", key, sequence),
                    rs.getString(7), rs.getString(8),
                    new TokenUsage(rs.getLong(9), rs.getLong(10), rs.getLong(11)),
                    TurnStatus.valueOf(rs.getString(12)),
                    instant(rs.getLong(13)),
                    instantOrNull(rs, 14),
                    rs.getString(15));
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new JournalException("turn " + sequence + " of conversation '" + key
                    + "' is stored in an unreadable form: " + e.getMessage(), e);
        }
    }

    /** The head in the current row (columns {@link #HEAD_COLUMNS}). */
    static ConversationHead head(ResultSet rs) throws SQLException {
        String key = rs.getString(1);
        try {
            return new ConversationHead(key, rs.getString(2), rs.getString(3), rs.getLong(4),
                    instant(rs.getLong(5)), instant(rs.getLong(6)), regions(rs.getString(7), key), rs.getLong(8),
                    rs.getString(9));
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

    private static Instant instantOrNull(ResultSet rs, int column) throws SQLException {
        long nanos = rs.getLong(column);
        return rs.wasNull() ? null : instant(nanos);
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
