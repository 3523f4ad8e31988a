package dev.continuity.emulator.internal;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Writes {@code {"object":"list","data":[..],"first_id","last_id","has_more"}} from already serialized
 * elements, without re-parsing them.
 */
public final class ListWriter {

    private static final byte[] HEAD = "{\"object\":\"list\",\"data\":[".getBytes(StandardCharsets.US_ASCII);

    private ListWriter() {
    }

    /** The list body; ids null when the page is empty. */
    public static byte[] write(List<byte[]> data, String firstId, String lastId, boolean hasMore) {
        int size = HEAD.length + 96;
        for (byte[] element : data) {
            size += element.length + 1;
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(size);
        out.writeBytes(HEAD);
        for (int i = 0; i < data.size(); i++) {
            if (i > 0) {
                out.write(',');
            }
            out.writeBytes(data.get(i));
        }
        out.writeBytes("],\"first_id\":".getBytes(StandardCharsets.US_ASCII));
        writeString(out, firstId);
        out.writeBytes(",\"last_id\":".getBytes(StandardCharsets.US_ASCII));
        writeString(out, lastId);
        out.writeBytes((",\"has_more\":" + hasMore + "}").getBytes(StandardCharsets.US_ASCII));
        return out.toByteArray();
    }

    private static void writeString(ByteArrayOutputStream out, String value) {
        if (value == null) {
            out.writeBytes("null".getBytes(StandardCharsets.US_ASCII));
            return;
        }
        out.write('"');
        out.writeBytes(JsonStringEncoder.getInstance().quoteAsUTF8(value));
        out.write('"');
    }
}
