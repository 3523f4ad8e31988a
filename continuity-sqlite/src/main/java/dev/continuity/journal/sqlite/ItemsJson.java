package dev.continuity.journal.sqlite;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.continuity.journal.JournalException;
import dev.continuity.journal.TurnItem;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Stores a list of {@link TurnItem}s as one JSON array of the items' own canonical JSON, and reads it
 * back without re-serializing: each element's text is cut out of the array exactly as it was written,
 * so the items read are equal to the items written.
 *
 * <p>Writing validates every item with a JSON parser (an object whose top-level {@code type} is the
 * item's type). Reading, which is on the hot path of every replay, only scans the array's structure
 * (strings, nesting, commas) to find where each element starts and ends and what its top-level
 * {@code type} is; it refuses anything that is not an array of objects with a clear error.
 */
final class ItemsJson {

    private static final JsonFactory FACTORY = new JsonFactory();

    private ItemsJson() {
    }

    /**
     * The JSON array of the items.
     *
     * @param what names the list in errors ("input of turn 3 of conversation 'k'")
     * @throws IllegalArgumentException if an item's JSON is not an object whose {@code type} is the
     *     item's type (such an item could not be read back unchanged)
     */
    static String encode(List<TurnItem> items, String what) {
        if (items.isEmpty()) {
            return "[]";
        }
        StringBuilder json = new StringBuilder(items.size() * 256);
        json.append('[');
        for (int i = 0; i < items.size(); i++) {
            TurnItem item = items.get(i);
            validate(item, what, i);
            if (i > 0) {
                json.append(',');
            }
            json.append(item.json());
        }
        return json.append(']').toString();
    }

    /**
     * The items of an array written by {@link #encode}.
     *
     * @param part "input" or "output", for errors
     * @param conversationKey the turn's conversation, for errors
     * @param sequence the turn's sequence, for errors
     * @throws JournalException if the text is not a JSON array of objects that each have a string
     *     {@code type}
     */
    static List<TurnItem> decode(String json, String part, String conversationKey, long sequence) {
        if ("[]".equals(json)) {
            return List.of();
        }
        Scanner scanner = new Scanner(json);
        try {
            return scanner.items();
        } catch (IllegalStateException e) {
            throw new JournalException(part + " of turn " + sequence + " of conversation '" + conversationKey
                    + "' is stored in an unreadable form: " + e.getMessage(), e);
        }
    }

    private static void validate(TurnItem item, String what, int index) {
        String json = item.json();
        try (JsonParser parser = FACTORY.createParser(json)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                throw invalid(what, index, "its JSON is not an object");
            }
            String type = null;
            int depth = 1;
            while (depth > 0) {
                JsonToken token = parser.nextToken();
                if (token == null) {
                    throw invalid(what, index, "its JSON ends early");
                }
                switch (token) {
                    case FIELD_NAME -> {
                        if (depth == 1 && "type".equals(parser.currentName())
                                && parser.nextToken() == JsonToken.VALUE_STRING) {
                            type = parser.getText();
                        } else if (parser.currentToken() == JsonToken.START_OBJECT
                                || parser.currentToken() == JsonToken.START_ARRAY) {
                            depth++;
                        }
                    }
                    case START_OBJECT, START_ARRAY -> depth++;
                    case END_OBJECT, END_ARRAY -> depth--;
                    default -> {
                        // scalar values need no tracking
                    }
                }
            }
            if (parser.nextToken() != null) {
                throw invalid(what, index, "its JSON has text after the object");
            }
            if (!item.type().equals(type)) {
                throw invalid(what, index, "its type is '" + item.type() + "' but its JSON says "
                        + (type == null ? "no type" : "'" + type + "'"));
            }
        } catch (IOException e) {
            throw invalid(what, index, "its JSON is not valid: " + e.getMessage());
        }
    }

    private static IllegalArgumentException invalid(String what, int index, String reason) {
        return new IllegalArgumentException(what + ": item " + index + " cannot be journaled: " + reason);
    }

    /** Walks a JSON array of objects, cutting out each object's text; errors are IllegalStateExceptions. */
    private static final class Scanner {
        private final String json;
        private int at;

        Scanner(String json) {
            this.json = json;
        }

        List<TurnItem> items() {
            List<TurnItem> items = new ArrayList<>();
            skipSpace();
            expect('[');
            skipSpace();
            if (peek() == ']') {
                at++;
            } else {
                while (true) {
                    items.add(item(items.size()));
                    skipSpace();
                    char next = take();
                    if (next == ']') {
                        break;
                    }
                    if (next != ',') {
                        throw fail("expected ',' or ']' after item " + (items.size() - 1));
                    }
                    skipSpace();
                }
            }
            skipSpace();
            if (at != json.length()) {
                throw fail("text after the array");
            }
            return items;
        }

        private TurnItem item(int index) {
            int start = at;
            if (peek() != '{') {
                throw fail("item " + index + " is not a JSON object");
            }
            String type = null;
            int depth = 0;
            boolean expectKey = false;
            do {
                char c = take();
                switch (c) {
                    case '{' -> {
                        depth++;
                        expectKey = depth == 1;
                    }
                    case '[' -> {
                        depth++;
                        expectKey = false;
                    }
                    case '}', ']' -> depth--;
                    case ',' -> expectKey = depth == 1;
                    case '"' -> {
                        int stringStart = at;
                        skipString();
                        if (expectKey) {
                            expectKey = false;
                            boolean isType = at - stringStart == 5 && json.startsWith("type\"", stringStart);
                            skipSpace();
                            expect(':');
                            skipSpace();
                            if (isType && peek() == '"') {
                                at++;
                                int valueStart = at;
                                skipString();
                                type = unquote(valueStart, at - 1);
                            }
                        }
                    }
                    default -> {
                        // numbers, literals and white space need no tracking
                    }
                }
            } while (depth > 0);
            if (type == null) {
                throw fail("item " + index + " has no string 'type'");
            }
            return new TurnItem(type, json.substring(start, at));
        }

        /** Moves past the closing quote of a string whose opening quote was just taken. */
        private void skipString() {
            while (true) {
                char c = take();
                if (c == '"') {
                    return;
                }
                if (c == '\\') {
                    take();
                }
            }
        }

        private String unquote(int start, int end) {
            String raw = json.substring(start, end);
            if (raw.indexOf('\\') < 0) {
                return raw;
            }
            try (JsonParser parser = FACTORY.createParser(json.substring(start - 1, end + 1))) {
                parser.nextToken();
                return parser.getText();
            } catch (IOException e) {
                throw fail("bad string escape in a 'type'");
            }
        }

        private void skipSpace() {
            while (at < json.length()) {
                char c = json.charAt(at);
                if (c != ' ' && c != '\n' && c != '\r' && c != '\t') {
                    return;
                }
                at++;
            }
        }

        private char peek() {
            if (at >= json.length()) {
                throw fail("unexpected end");
            }
            return json.charAt(at);
        }

        private char take() {
            char c = peek();
            at++;
            return c;
        }

        private void expect(char c) {
            if (take() != c) {
                at--;
                throw fail("expected '" + c + "'");
            }
        }

        private IllegalStateException fail(String reason) {
            return new IllegalStateException(reason + " at offset " + at + " of a JSON array of "
                    + json.length() + " characters");
        }
    }
}
