package dev.continuity.journal.crypto.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.continuity.journal.TurnItem;
import dev.continuity.json.ExactJson;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import javax.crypto.AEADBadTagException;

/**
 * The sealed forms of a turn's parts as the backend stores them. A non-empty item list becomes ONE item,
 * {@code {"ct":"<base64>","type":"continuity.encrypted","v":1}} (canonical JSON, so every backend keeps it
 * byte for byte); options become the same object as their JSON text. An empty list stays empty (a pending turn
 * has no output; the backend's checks of a turn's shape keep working). The associated data of each part binds
 * the conversation key, the sequence, the part and, for the output, the response id.
 */
public final class SealedParts {

    /** The {@code type} of a sealed item. */
    public static final String TYPE = "continuity.encrypted";
    private static final int VERSION = 1;
    private static final ObjectMapper MAPPER = ExactJson.newMapper();

    /** Which part of a turn is sealed: part of the associated data. */
    public enum Part {
        /** The application's input items. */
        INPUT,
        /** The service's output items. */
        OUTPUT,
        /** The turn's Responses API options. */
        OPTIONS
    }

    private SealedParts() {
    }

    /** The associated data binding a part to its turn. */
    public static byte[] aad(String conversationKey, long sequence, Part part, String responseId) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(64 + conversationKey.length());
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeUTF("continuity.journal/" + VERSION);
            out.writeUTF(part.name());
            out.writeLong(sequence);
            writeString(out, conversationKey);
            writeString(out, responseId == null ? "" : responseId);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return bytes.toByteArray();
    }

    /** Whether the list is a sealed item list. */
    public static boolean isSealed(List<TurnItem> items) {
        return items.size() == 1 && TYPE.equals(items.get(0).type());
    }

    /** Whether any item claims to be a sealed item (an application item may not). */
    public static boolean anySealed(List<TurnItem> items) {
        return items.stream().anyMatch(item -> TYPE.equals(item.type()));
    }

    /** The sealed form of {@code items} (empty stays empty). */
    public static List<TurnItem> seal(DataKey key, byte[] aad, List<TurnItem> items) {
        if (items.isEmpty()) {
            return items;
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(256);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeInt(items.size());
            for (TurnItem item : items) {
                writeString(out, item.type());
                writeString(out, item.json());
            }
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return List.of(new TurnItem(TYPE, envelope(key.seal(aad, bytes.toByteArray()))));
    }

    /**
     * The items of a sealed list.
     *
     * @throws AEADBadTagException if the ciphertext fails authentication with this key and associated data
     */
    public static List<TurnItem> open(DataKey key, byte[] aad, List<TurnItem> sealed) throws AEADBadTagException {
        byte[] plain = key.open(aad, ciphertext(sealed.get(0).json()));
        try (DataInputStream in = new DataInputStream(new java.io.ByteArrayInputStream(plain))) {
            int count = in.readInt();
            List<TurnItem> items = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                items.add(new TurnItem(readString(in), readString(in)));
            }
            return List.copyOf(items);
        } catch (IOException e) {
            throw new IllegalStateException("an authenticated sealed item list does not parse", e);
        }
    }

    /** Whether {@code options} (a turn's options text) is sealed. */
    public static boolean isSealed(String options) {
        return options != null && options.contains(TYPE) && TYPE.equals(envelopeNode(options).path("type").asText());
    }

    /** The sealed form of a turn's options text ({@code null} stays {@code null}). */
    public static String seal(DataKey key, byte[] aad, String options) {
        return options == null ? null : envelope(key.seal(aad, options.getBytes(StandardCharsets.UTF_8)));
    }

    /** The options text of sealed options. */
    public static String open(DataKey key, byte[] aad, String sealed) throws AEADBadTagException {
        return new String(key.open(aad, ciphertext(sealed)), StandardCharsets.UTF_8);
    }

    private static String envelope(byte[] sealed) {
        // canonical JSON (keys sorted, no white space), as TurnItem keeps it
        return "{\"ct\":\"" + Base64.getEncoder().encodeToString(sealed) + "\",\"type\":\"" + TYPE + "\",\"v\":"
                + VERSION + "}";
    }

    private static byte[] ciphertext(String envelope) throws AEADBadTagException {
        JsonNode node = envelopeNode(envelope);
        if (node.path("v").asInt() != VERSION || !node.path("ct").isTextual()) {
            throw new AEADBadTagException("sealed part of version " + node.path("v") + " is not readable here");
        }
        try {
            return Base64.getDecoder().decode(node.get("ct").asText());
        } catch (IllegalArgumentException e) {
            throw new AEADBadTagException("sealed part is not base64");
        }
    }

    private static JsonNode envelopeNode(String json) {
        try {
            return MAPPER.readTree(json);
        } catch (IOException e) {
            return MAPPER.missingNode();
        }
    }

    private static void writeString(DataOutputStream out, String text) throws IOException {
        byte[] utf8 = text.getBytes(StandardCharsets.UTF_8);
        out.writeInt(utf8.length);
        out.write(utf8);
    }

    private static String readString(DataInputStream in) throws IOException {
        byte[] utf8 = new byte[in.readInt()];
        in.readFully(utf8);
        return new String(utf8, StandardCharsets.UTF_8);
    }
}
