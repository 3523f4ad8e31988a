package dev.continuity.replay;

import dev.continuity.agentservice.AgentServiceException;

/** Why a conversation's replay, an agent's deployment or a validation step failed. */
public enum FailureReason {
    /** 429 until the retry budget ran out. */
    THROTTLED,
    /** 5xx until the retry budget ran out. */
    SERVICE_ERROR,
    /** No answer from the region until the retry budget ran out. */
    UNREACHABLE,
    /** 400: the service refused the request (not retried). */
    BAD_REQUEST,
    /** 401/403 (not retried). */
    UNAUTHORIZED,
    /** 404 for something that should exist (not retried). */
    NOT_FOUND,
    /** 409 (not retried). */
    CONFLICT,
    /** The regional conversation holds items the journal cannot explain and the policy is to fail. */
    DIVERGED,
    /** Another replayer moved the same conversation's cursor in the same region meanwhile. */
    CONCURRENT_REPLAY,
    /** The journal failed or kept changing under a cursor update. */
    JOURNAL,
    /** The conversation key is not in the journal. */
    UNKNOWN_CONVERSATION,
    /** The thread was interrupted (the run was stopped). */
    INTERRUPTED,
    /** A validation probe answered, but not as expected. */
    VALIDATION_MISMATCH,
    /**
     * Not replayed because the run gave up: the target answered no call for the give-up window
     * ({@code Rehydrator.Builder.giveUpAfter}); the conversation was stopped at a call boundary or never
     * started. Nothing about it is lost: the next run continues from its cursor.
     */
    GAVE_UP,
    /** Anything else (a bug): see the log. */
    INTERNAL;

    /** The reason matching an Agent Service failure kind. */
    public static FailureReason of(AgentServiceException.Kind kind) {
        return switch (kind) {
            case THROTTLED -> THROTTLED;
            case SERVICE_ERROR -> SERVICE_ERROR;
            case UNREACHABLE -> UNREACHABLE;
            case BAD_REQUEST -> BAD_REQUEST;
            case UNAUTHORIZED -> UNAUTHORIZED;
            case NOT_FOUND -> NOT_FOUND;
            case CONFLICT -> CONFLICT;
        };
    }

    /** The reason for any failure thrown by a replay or a service call. */
    public static FailureReason of(Throwable error) {
        if (error instanceof ReplayException replay) {
            return replay.reason();
        }
        if (error instanceof AgentServiceException service) {
            return of(service.kind());
        }
        if (error instanceof dev.continuity.journal.JournalException) {
            return JOURNAL;
        }
        if (error instanceof InterruptedException) {
            return INTERRUPTED;
        }
        return INTERNAL;
    }
}
