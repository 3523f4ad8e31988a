package dev.continuity.agentservice;

import dev.continuity.ContinuityException;
import java.util.Optional;

/**
 * A call to a region's Agent Service failed. The message names the region and the operation; {@link
 * #kind()} says whether a retry can help.
 */
public class AgentServiceException extends ContinuityException {
    private static final long serialVersionUID = 1L;

    /** Classes of failure, by what a caller should do. */
    public enum Kind {
        /** 400: the request is wrong; do not retry. */
        BAD_REQUEST(false),
        /** 401/403: credentials or permissions; do not retry. */
        UNAUTHORIZED(false),
        /** 404: the agent, version, conversation or response does not exist. */
        NOT_FOUND(false),
        /** 409: conflicting state. */
        CONFLICT(false),
        /** 429: throttled; retry after the indicated delay. */
        THROTTLED(true),
        /** 5xx: the service failed; the write may or may not have happened. */
        SERVICE_ERROR(true),
        /** No answer at all (connection refused, reset, timed out): the region may be down. */
        UNREACHABLE(true);

        private final boolean retryable;

        Kind(boolean retryable) {
            this.retryable = retryable;
        }

        /** True when retrying the same call can succeed. */
        public boolean retryable() {
            return retryable;
        }
    }

    private final String region;
    private final Kind kind;
    private final int status;
    private final long retryAfterMillis;
    private final boolean requestSent;

    /**
     * A failure after which the request may have reached the service (the conservative choice; see
     * {@link #AgentServiceException(String, Kind, int, long, boolean, String, Throwable)}).
     *
     * @param region the region called
     * @param kind the failure class
     * @param status HTTP status, or 0 when there was no answer
     * @param retryAfterMillis the delay the service asked for, or -1
     * @param message what failed, naming the operation and the id involved
     * @param cause the SDK's exception
     */
    public AgentServiceException(String region, Kind kind, int status, long retryAfterMillis, String message,
            Throwable cause) {
        this(region, kind, status, retryAfterMillis, true, message, cause);
    }

    /**
     * @param region the region called
     * @param kind the failure class
     * @param status HTTP status, or 0 when there was no answer
     * @param retryAfterMillis the delay the service asked for, or -1
     * @param requestSent false only when the request certainly never reached the service (the connection
     *     was refused, the host is unknown or unroutable): then nothing can have been applied
     * @param message what failed, naming the operation and the id involved
     * @param cause the SDK's exception
     */
    public AgentServiceException(String region, Kind kind, int status, long retryAfterMillis, boolean requestSent,
            String message, Throwable cause) {
        super("[" + region + "] " + message, cause);
        this.region = region;
        this.kind = kind;
        this.status = status;
        this.retryAfterMillis = retryAfterMillis;
        this.requestSent = requestSent || status != 0;
    }

    /** The region called. */
    public String region() {
        return region;
    }

    /** The failure class. */
    public Kind kind() {
        return kind;
    }

    /** HTTP status, or 0 when there was no answer. */
    public int status() {
        return status;
    }

    /** Delay the service asked for before a retry, or -1 when it did not say. */
    public long retryAfterMillis() {
        return retryAfterMillis;
    }

    /** True when a retry can help. */
    public boolean retryable() {
        return kind.retryable();
    }

    /**
     * False when the request certainly never reached the service (connection refused, unknown host):
     * nothing was applied. True whenever the service answered, and when it may have received the request
     * (a reset, a timeout, an answer lost after the request was sent).
     */
    public boolean requestSent() {
        return requestSent;
    }

    /**
     * True when the write may have been applied although the call failed (a 5xx, or a lost connection or
     * timeout after the request was sent): check the target before retrying a non-idempotent write. A
     * refused connection is not ambiguous: nothing reached the service.
     */
    public boolean ambiguous() {
        return requestSent && (kind == Kind.SERVICE_ERROR || kind == Kind.UNREACHABLE);
    }

    /**
     * The service failure behind an error: the error itself or the first of its causes that is one (a catch-up
     * or a listener may wrap the service's exception).
     *
     * @param error any error, or null
     * @return the service failure, if there is one
     */
    public static Optional<AgentServiceException> in(Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause()) {
            if (t instanceof AgentServiceException service) {
                return Optional.of(service);
            }
        }
        return Optional.empty();
    }
}
