package dev.continuity.emulator.internal;

/** A request the service rejects: answered as {@code {"error":{code,message,param,type}}} with the status. */
public final class ApiException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final int status;
    private final String code;
    private final String param;
    private final String type;

    /** Creates the exception; {@code param} may be null. */
    public ApiException(int status, String code, String message, String param, String type) {
        super(message, null, false, false);
        this.status = status;
        this.code = code;
        this.param = param;
        this.type = type;
    }

    /** 400 invalid_request_error. */
    public static ApiException badRequest(String code, String message, String param) {
        return new ApiException(400, code, message, param, "invalid_request_error");
    }

    /** 404 not_found. */
    public static ApiException notFound(String message) {
        return new ApiException(404, "not_found", message, null, "invalid_request_error");
    }

    /** The HTTP status. */
    public int status() {
        return status;
    }

    /** The error code. */
    public String code() {
        return code;
    }

    /** The offending parameter, or null. */
    public String param() {
        return param;
    }

    /** The error type. */
    public String type() {
        return type;
    }
}
