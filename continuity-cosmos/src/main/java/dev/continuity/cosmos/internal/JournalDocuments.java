package dev.continuity.cosmos.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.continuity.journal.ConversationHead;
import dev.continuity.journal.ConversationSummary;
import dev.continuity.journal.JournalException;
import dev.continuity.journal.RegionCursor;
import dev.continuity.journal.TokenUsage;
import dev.continuity.journal.Turn;
import dev.continuity.journal.TurnItem;
import dev.continuity.journal.TurnStatus;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Turns and heads as Cosmos DB documents, and back.
 *
 * <p>Items are stored as {@code {"type": .., "json": "<canonical JSON text>"}}: the item's canonical
 * JSON is kept as a string, so it reads back byte for byte (a JSON engine on the way would be free to
 * rewrite {@code 2.50} as {@code 2.5} or round a 64-bit integer), which keeps retries comparable. A
 * turn's options ({@code options}) are kept as their JSON text for the same reason, and because they are
 * what the service is asked with when a pending turn is completed.
 */
public final class JournalDocuments {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private JournalDocuments() {
    }

    /** The document of a turn. */
    public static ObjectNode turnDocument(Turn turn) {
        ObjectNode doc = NODES.objectNode();
        doc.put("id", JournalLayout.turnId(turn.sequence()));
        doc.put(JournalLayout.PARTITION_KEY_PROPERTY, turn.conversationKey());
        doc.put("type", JournalLayout.TYPE_TURN);
        doc.put("sequence", turn.sequence());
        doc.put("agentName", turn.agentName());
        doc.put("agentVersion", turn.agentVersion());
        doc.set("input", items(turn.input()));
        doc.set("output", items(turn.output()));
        doc.put("responseId", turn.responseId());
        doc.put("region", turn.region());
        ObjectNode usage = doc.putObject("usage");
        usage.put("inputTokens", turn.usage().inputTokens());
        usage.put("outputTokens", turn.usage().outputTokens());
        usage.put("totalTokens", turn.usage().totalTokens());
        doc.put("status", turn.status().name());
        doc.put("startedAt", Timestamps.format(turn.startedAt()));
        doc.put("completedAt", Timestamps.format(turn.completedAt()));
        if (turn.options() != null) {
            // the turn's Responses API options as their JSON text, like items: read back byte for byte, so the
            // service is asked with the numbers the application gave (absent for turns without options)
            doc.put("options", turn.options());
        }
        return doc;
    }

    /** The turn of a document written by {@link #turnDocument}. */
    public static Turn turn(JsonNode doc) {
        String key = text(doc, JournalLayout.PARTITION_KEY_PROPERTY, "turn document");
        String where = "turn document '" + doc.path("id").asText() + "' of conversation '" + key + "'";
        long sequence = number(doc, "sequence", where);
        JsonNode usage = doc.path("usage");
        TurnStatus status;
        try {
            status = TurnStatus.valueOf(text(doc, "status", where));
        } catch (IllegalArgumentException e) {
            throw new JournalException(where + ": unknown status '" + doc.path("status").asText() + "'", e);
        }
        return new Turn(key, sequence, text(doc, "agentName", where), optionalText(doc, "agentVersion"),
                items(doc.path("input"), where + " input"), items(doc.path("output"), where + " output"),
                optionalText(doc, "responseId"), optionalText(doc, "region"),
                new TokenUsage(usage.path("inputTokens").asLong(), usage.path("outputTokens").asLong(),
                        usage.path("totalTokens").asLong()),
                status, Timestamps.parse(text(doc, "startedAt", where), where + " startedAt"),
                Timestamps.parse(optionalText(doc, "completedAt"), where + " completedAt"),
                options(doc.get("options"), where));
    }

    /**
     * The options of a turn document: their JSON text as written; a document written as an object (builds
     * between the options' introduction and their storage as text) reads as that object's text, whose
     * numbers may already be rewritten by the JSON engines it went through.
     */
    private static String options(JsonNode options, String where) {
        if (options == null || options.isNull()) {
            return null;
        }
        if (options.isTextual()) {
            return options.textValue();
        }
        if (options.isObject()) {
            return options.toString();
        }
        throw new JournalException(where + ": 'options' is neither the options' JSON text nor an object");
    }

    /** The document of a head whose last turn's status is not known (see {@link StoredHead#lastTurnStatus()}). */
    public static ObjectNode headDocument(ConversationHead head, long journaledThrough) {
        return headDocument(head, journaledThrough, null);
    }

    /** The document of a head; {@code lastTurnStatus} is turn {@code journaledThrough}'s, or null if unknown. */
    public static ObjectNode headDocument(ConversationHead head, long journaledThrough, TurnStatus lastTurnStatus) {
        ObjectNode doc = NODES.objectNode();
        doc.put("id", JournalLayout.HEAD_ID);
        doc.put(JournalLayout.PARTITION_KEY_PROPERTY, head.conversationKey());
        doc.put("type", JournalLayout.TYPE_HEAD);
        doc.put(JournalLayout.TENANT_PROPERTY, head.tenant());
        doc.put("agentName", head.agentName());
        doc.put("agentVersion", head.agentVersion());
        doc.put("lastSequence", head.lastSequence());
        doc.put("journaledThrough", journaledThrough);
        if (lastTurnStatus != null && journaledThrough > 0) {
            doc.put("lastTurnStatus", lastTurnStatus.name());
        }
        doc.put("createdAt", Timestamps.format(head.createdAt()));
        doc.put("lastActivityAt", Timestamps.format(head.lastActivityAt()));
        ObjectNode regions = doc.putObject("regions");
        head.regions().forEach((name, cursor) -> {
            ObjectNode region = regions.putObject(name);
            region.put("conversationId", cursor.conversationId());
            region.put("replayedThrough", cursor.replayedThrough());
        });
        doc.put("version", head.version());
        return doc;
    }

    /** The head of a document written by {@link #headDocument}, with its etag. */
    public static StoredHead head(JsonNode doc, String etag) {
        String key = text(doc, JournalLayout.PARTITION_KEY_PROPERTY, "head document");
        String where = "head document of conversation '" + key + "'";
        Map<String, RegionCursor> regions = new TreeMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = doc.path("regions").fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> region = it.next();
            regions.put(region.getKey(), new RegionCursor(
                    text(region.getValue(), "conversationId", where + " region '" + region.getKey() + "'"),
                    region.getValue().path("replayedThrough").asLong()));
        }
        ConversationHead head = new ConversationHead(key, text(doc, "agentName", where),
                optionalText(doc, "agentVersion"), number(doc, "lastSequence", where),
                Timestamps.parse(text(doc, "createdAt", where), where + " createdAt"),
                Timestamps.parse(text(doc, "lastActivityAt", where), where + " lastActivityAt"),
                regions, number(doc, "version", where), optionalText(doc, JournalLayout.TENANT_PROPERTY));
        String lastTurnStatus = optionalText(doc, "lastTurnStatus");
        TurnStatus status;
        try {
            status = lastTurnStatus == null ? null : TurnStatus.valueOf(lastTurnStatus);
        } catch (IllegalArgumentException e) {
            status = null; // unknown: the turn is read when a write depends on it
        }
        return new StoredHead(head, number(doc, "journaledThrough", where), status, etag);
    }

    /** The listing entry of a head document (or of a projection with the same fields). */
    public static ConversationSummary summary(JsonNode doc) {
        String key = text(doc, JournalLayout.PARTITION_KEY_PROPERTY, "head document");
        String where = "head document of conversation '" + key + "'";
        return new ConversationSummary(key, text(doc, "agentName", where), number(doc, "lastSequence", where),
                Timestamps.parse(text(doc, "lastActivityAt", where), where + " lastActivityAt"),
                optionalText(doc, JournalLayout.TENANT_PROPERTY));
    }

    /** The stored form of an instant (fixed width, sorts like the instant). */
    public static String timestamp(Instant instant) {
        return Timestamps.format(instant);
    }

    /** A tombstone document; {@code ttl: -1} keeps it whatever the container's default time to live. */
    public static ObjectNode tombstoneDocument(dev.continuity.journal.Tombstone tombstone) {
        ObjectNode doc = NODES.objectNode();
        doc.put("id", JournalLayout.TOMBSTONE_ID);
        doc.put(JournalLayout.PARTITION_KEY_PROPERTY, tombstone.conversationKey());
        doc.put("type", JournalLayout.TYPE_TOMBSTONE);
        doc.put("forgottenAt", timestamp(tombstone.forgottenAt()));
        ObjectNode pending = doc.putObject("pendingRegions");
        tombstone.pendingRegions().forEach(pending::put);
        doc.put("pending", tombstone.pendingRegions().size());
        doc.put("ttl", -1);
        return doc;
    }

    /** The tombstone a tombstone document holds. */
    public static dev.continuity.journal.Tombstone tombstone(JsonNode doc) {
        String key = text(doc, JournalLayout.PARTITION_KEY_PROPERTY, "tombstone");
        java.util.Map<String, String> pending = new java.util.TreeMap<>();
        doc.path("pendingRegions").fields().forEachRemaining(e -> pending.put(e.getKey(), e.getValue().asText()));
        return new dev.continuity.journal.Tombstone(key,
                Timestamps.parse(text(doc, "forgottenAt", "tombstone of conversation '" + key + "'"),
                        "tombstone of conversation '" + key + "' forgottenAt"), pending);
    }

    private static ArrayNode items(List<TurnItem> items) {
        ArrayNode array = NODES.arrayNode(items.size());
        for (TurnItem item : items) {
            ObjectNode node = array.addObject();
            node.put("type", item.type());
            node.put("json", item.json());
        }
        return array;
    }

    private static List<TurnItem> items(JsonNode array, String where) {
        if (array.isMissingNode() || array.isNull()) {
            return List.of();
        }
        if (!array.isArray()) {
            throw new JournalException(where + " is not an array");
        }
        List<TurnItem> items = new ArrayList<>(array.size());
        for (int i = 0; i < array.size(); i++) {
            JsonNode item = array.get(i);
            items.add(new TurnItem(text(item, "type", where + " item " + i), text(item, "json", where + " item " + i)));
        }
        return items;
    }

    private static String text(JsonNode doc, String field, String where) {
        JsonNode value = doc.get(field);
        if (value == null || !value.isTextual()) {
            throw new JournalException(where + " has no text field '" + field + "'");
        }
        return value.asText();
    }

    private static String optionalText(JsonNode doc, String field) {
        JsonNode value = doc.get(field);
        return value == null || value.isNull() ? null : value.asText();
    }

    private static long number(JsonNode doc, String field, String where) {
        JsonNode value = doc.get(field);
        if (value == null || !value.isNumber()) {
            throw new JournalException(where + " has no number field '" + field + "'");
        }
        return value.asLong();
    }
}
