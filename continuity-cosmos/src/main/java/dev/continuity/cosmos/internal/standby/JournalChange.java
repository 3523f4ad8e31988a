package dev.continuity.cosmos.internal.standby;

import com.fasterxml.jackson.databind.JsonNode;
import dev.continuity.cosmos.internal.JournalLayout;
import java.time.Instant;
import java.time.format.DateTimeParseException;

/**
 * What the warm standby needs from one journal document delivered by the change feed: for a turn
 * document its sequence, whether it is committed, when and where; for a head document the standby
 * region's cursor.
 *
 * @param conversationKey the conversation
 * @param head true for the head document, false for a turn document
 * @param sequence the turn's sequence (0 for a head)
 * @param committed the turn is committed (false for a head)
 * @param servedIn region that served the committed turn, or {@code null}
 * @param completedAt commit time of the turn, or {@code null}
 * @param standbyConversationId the head's regional conversation id in the standby region, or {@code null}
 * @param standbyReplayedThrough the head's cursor in the standby region (0 when it has none)
 */
public record JournalChange(String conversationKey, boolean head, long sequence, boolean committed, String servedIn,
        Instant completedAt, String standbyConversationId, long standbyReplayedThrough) {

    /**
     * The change a document stands for, or {@code null} when it is not a journal document (the
     * container holds only journal documents, but a foreign one must not stop the standby).
     *
     * @param standbyRegion the region whose cursor is read from head documents
     */
    public static JournalChange of(JsonNode doc, String standbyRegion) {
        if (doc == null || !doc.isObject()) {
            return null;
        }
        JsonNode key = doc.get(JournalLayout.PARTITION_KEY_PROPERTY);
        if (key == null || !key.isTextual()) {
            return null;
        }
        String type = doc.path("type").asText("");
        if (JournalLayout.TYPE_TURN.equals(type)) {
            JsonNode sequence = doc.get("sequence");
            if (sequence == null || !sequence.canConvertToLong() || sequence.asLong() < 1) {
                return null;
            }
            boolean committed = "COMMITTED".equals(doc.path("status").asText());
            return new JournalChange(key.asText(), false, sequence.asLong(), committed,
                    committed ? textOrNull(doc, "region") : null,
                    committed ? instantOrNull(doc.path("completedAt").asText(null)) : null, null, 0);
        }
        if (JournalLayout.TYPE_HEAD.equals(type)) {
            JsonNode cursor = doc.path("regions").path(standbyRegion);
            String conversationId = cursor.isObject() ? textOrNull(cursor, "conversationId") : null;
            long through = conversationId == null ? 0 : Math.max(0, cursor.path("replayedThrough").asLong());
            return new JournalChange(key.asText(), true, 0, false, null, null, conversationId, through);
        }
        return null;
    }

    private static String textOrNull(JsonNode doc, String field) {
        JsonNode value = doc.get(field);
        return value == null || !value.isTextual() ? null : value.asText();
    }

    private static Instant instantOrNull(String text) {
        if (text == null) {
            return null;
        }
        try {
            return Instant.parse(text);
        } catch (DateTimeParseException e) {
            return null;
        }
    }
}
