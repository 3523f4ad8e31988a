package dev.continuity.json;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;

/**
 * JSON that is well-formed but that Continuity refuses to read because it could not keep it unchanged:
 * a key that appears twice in one object, a string that is not valid Unicode (a lone UTF-16 surrogate
 * escape such as {@code "\ud800"}), or a number whose exponent is out of range. {@link #pointer()}
 * names where (RFC 6901); the message says why. Callers outside this package see it through
 * {@link ExactJson#refusal}.
 */
final class JsonContentException extends JsonParseException {

    private static final long serialVersionUID = 1L;

    /** The RFC 6901 pointer of the refused value or key ({@code ""} for the root). */
    private final String pointer;
    private final String reason;

    JsonContentException(JsonParser parser, String pointer, String reason) {
        super(parser, (pointer.isEmpty() ? "" : pointer + ": ") + reason);
        this.pointer = pointer;
        this.reason = reason;
    }

    /** Where in the document, as an RFC 6901 JSON pointer ({@code ""} for the root). */
    public String pointer() {
        return pointer;
    }

    /** Why, without the pointer and the location. */
    public String reason() {
        return reason;
    }
}
