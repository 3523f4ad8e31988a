package dev.continuity.emulator.search.internal;

/** A request the search emulator refuses, answered as {@code {"error":{"code","message"}}} with {@link #status()}. */
public final class SearchException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final int status;
    private final String code;

    /** With the HTTP status, the service's error code and a message. */
    public SearchException(int status, String code, String message) {
        super(message);
        this.status = status;
        this.code = code;
    }

    /** The HTTP status. */
    public int status() {
        return status;
    }

    /** The error code. */
    public String code() {
        return code;
    }

    static SearchException badRequest(String message) {
        return new SearchException(400, "InvalidRequestParameter", message);
    }

    static SearchException indexNotFound(String index) {
        return new SearchException(404, "ResourceNotFound", "The index '" + index + "' for service was not found.");
    }
}
