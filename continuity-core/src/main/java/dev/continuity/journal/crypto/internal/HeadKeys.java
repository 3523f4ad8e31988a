package dev.continuity.journal.crypto.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.continuity.journal.ConversationHead;
import dev.continuity.journal.RegionCursor;
import dev.continuity.journal.crypto.WrappedKey;
import dev.continuity.json.ExactJson;
import java.io.IOException;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Where a conversation's wrapped data key is kept: in its head, as the cursor of a reserved "region" whose name
 * no Azure region can have ({@value #ENTRY}), whose conversation id is the wrapped key as JSON. The head is the
 * one per-conversation record every backend stores, replicates and copies with the conversation, so the key
 * travels with it (Cosmos DB's regional replicas, a copied SQLite file) without a schema change, and a
 * re-wrap is one head write. {@link dev.continuity.journal.crypto.EncryptingTurnJournal} hides the entry from
 * its callers and keeps it on every head change. The seam for a per-tenant data key is here: a key looked up by
 * tenant instead of by conversation.
 */
public final class HeadKeys {

    /** The reserved region name holding the wrapped data key. */
    public static final String ENTRY = "#continuity-data-key";
    private static final ObjectMapper MAPPER = ExactJson.newMapper();

    private HeadKeys() {
    }

    /** The wrapped data key the stored head holds, if any. */
    public static Optional<WrappedKey> wrappedKey(ConversationHead head) {
        RegionCursor cursor = head.region(ENTRY);
        if (cursor == null) {
            return Optional.empty();
        }
        try {
            JsonNode node = MAPPER.readTree(cursor.conversationId());
            return Optional.of(new WrappedKey(node.path("keyId").asText(), node.path("alg").asText(),
                    node.path("wrapped").asText()));
        } catch (IOException | IllegalArgumentException e) {
            throw new IllegalStateException("the data key entry of conversation '" + head.conversationKey()
                    + "' is not a wrapped key: " + e.getMessage(), e);
        }
    }

    /** {@code head} holding {@code key}. */
    public static ConversationHead with(ConversationHead head, WrappedKey key) {
        ObjectNode node = MAPPER.createObjectNode();
        node.put("alg", key.algorithm());
        node.put("keyId", key.keyId());
        node.put("wrapped", key.wrapped());
        return head.withRegion(ENTRY, new RegionCursor(ExactJson.write(node), 0));
    }

    /** {@code head} as callers see it: without the entry. */
    public static ConversationHead stripped(ConversationHead head) {
        if (head.region(ENTRY) == null) {
            return head;
        }
        Map<String, RegionCursor> regions = new TreeMap<>(head.regions());
        regions.remove(ENTRY);
        return head.with(head.lastSequence(), head.createdAt(), head.lastActivityAt(), regions, head.version());
    }
}
