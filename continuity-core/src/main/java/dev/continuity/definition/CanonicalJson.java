package dev.continuity.definition;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.List;

/**
 * The canonical JSON form content hashes are computed over: object keys sorted by UTF-16 code units
 * (as in RFC 8785), no whitespace, strings escaped minimally ({@code "}, {@code \}, control
 * characters; everything else as is), numbers by value ({@code 1}, {@code 1.0} and {@code 1e0} are
 * all written {@code 1}; {@code 0.50} is {@code 0.5}; {@code -0} is {@code 0}; a number needing more than
 * 1000 zeros written out is written as its digits and exponent, {@code 1e5000}). Two JSON texts that
 * differ only in key order, whitespace or number spelling have the same canonical form: {@code 1.50} and
 * {@code 1.5} are the same content (see {@code docs/agent-definitions.md}, "The content hash").
 */
public final class CanonicalJson {

    /** Beyond this many zeros a number is written as digits and exponent ({@code 1e5000}). */
    private static final int MAX_PLAIN_SCALE = 1000;

    private CanonicalJson() {
    }

    /** The canonical text of a JSON tree. */
    public static String write(JsonNode node) {
        StringBuilder out = new StringBuilder();
        write(node, out);
        return out.toString();
    }

    /** {@code "sha256:"} followed by the lower-case hex SHA-256 of the canonical text (UTF-8). */
    public static String sha256(JsonNode node) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(write(node).getBytes(StandardCharsets.UTF_8));
            return "sha256:" + HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is not available", e);
        }
    }

    private static void write(JsonNode node, StringBuilder out) {
        if (node == null || node.isNull() || node.isMissingNode()) {
            out.append("null");
        } else if (node.isObject()) {
            List<String> keys = new ArrayList<>();
            node.fieldNames().forEachRemaining(keys::add);
            keys.sort(null);
            out.append('{');
            for (int i = 0; i < keys.size(); i++) {
                if (i > 0) {
                    out.append(',');
                }
                string(keys.get(i), out);
                out.append(':');
                write(node.get(keys.get(i)), out);
            }
            out.append('}');
        } else if (node.isArray()) {
            out.append('[');
            Iterator<JsonNode> it = node.elements();
            boolean first = true;
            while (it.hasNext()) {
                if (!first) {
                    out.append(',');
                }
                first = false;
                write(it.next(), out);
            }
            out.append(']');
        } else if (node.isNumber()) {
            out.append(number(node.decimalValue()));
        } else if (node.isBoolean()) {
            out.append(node.booleanValue());
        } else if (node.isTextual()) {
            string(node.textValue(), out);
        } else if (node.isPojo() || node.isBinary()) {
            // not produced by the JSON reader; fall back to its plain JSON text
            out.append(node.toString());
        } else {
            throw new IllegalArgumentException("unsupported JSON node " + node.getNodeType());
        }
    }

    private static String number(BigDecimal value) {
        if (value.signum() == 0) {
            return "0";
        }
        BigDecimal stripped = value.stripTrailingZeros();
        if (Math.abs((long) stripped.scale()) > MAX_PLAIN_SCALE) {
            // 1e400000000 written out would be 400 million characters: digits and exponent instead
            return stripped.unscaledValue() + "e" + (-(long) stripped.scale());
        }
        return stripped.scale() <= 0 ? stripped.toBigIntegerExact().toString() : stripped.toPlainString();
    }

    private static void string(String s, StringBuilder out) {
        out.append('"');
        out.append(JsonStringEncoder.getInstance().quoteAsString(s));
        out.append('"');
    }
}
