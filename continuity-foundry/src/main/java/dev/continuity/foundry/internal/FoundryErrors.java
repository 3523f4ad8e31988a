package dev.continuity.foundry.internal;

import com.azure.core.exception.HttpResponseException;
import com.azure.core.http.HttpHeaders;
import com.openai.errors.OpenAIIoException;
import com.openai.errors.OpenAIServiceException;
import dev.continuity.ErrorSummary;
import dev.continuity.agentservice.AgentServiceException;
import dev.continuity.agentservice.AgentServiceException.Kind;
import java.io.IOException;
import java.util.Optional;
import java.util.function.Function;

/** Translates both SDKs' exceptions into {@link AgentServiceException}s that name the region. */
public final class FoundryErrors {

    private FoundryErrors() {
    }

    /** Translates {@code error}, thrown by {@code operation} against {@code region}. */
    public static AgentServiceException translate(String region, String operation, RuntimeException error) {
        if (error instanceof AgentServiceException already) {
            return already;
        }
        if (error instanceof OpenAIServiceException service) {
            Function<String, Optional<String>> header = name -> service.headers().values(name).stream().findFirst();
            // openai-java says "<status>: null" when the body was not JSON (an HTML page): no words to show
            String message = service.getMessage();
            if (message != null && message.endsWith(": null")) {
                message = null;
            }
            // the service names the refused field in error.param (e.g. reasoning.effort), not always in the message
            String param = service.param().orElse(null);
            if (message != null && param != null && !param.isBlank() && !message.contains(param)) {
                message = message + " (param '" + param + "')";
            }
            return fromStatus(region, operation, service.statusCode(), header, message, error);
        }
        if (error instanceof HttpResponseException http && http.getResponse() != null) {
            HttpHeaders headers = http.getResponse().getHeaders();
            Function<String, Optional<String>> header = name -> Optional.ofNullable(headers.getValue(name));
            return fromStatus(region, operation, http.getResponse().getStatusCode(), header, http.getMessage(), error);
        }
        if (error instanceof OpenAIIoException || hasIoCause(error)) {
            boolean sent = !notSent(error);
            return new AgentServiceException(region, Kind.UNREACHABLE, 0, -1, sent,
                    operation + " failed: " + (sent ? "no answer from the region (" : "the region refused the connection ("
                    ) + rootMessage(error) + ")", error);
        }
        return new AgentServiceException(region, Kind.SERVICE_ERROR, 0, -1,
                operation + " failed: " + rootMessage(error), error);
    }

    private static AgentServiceException fromStatus(String region, String operation, int status,
            Function<String, Optional<String>> header, String message, RuntimeException error) {
        Kind kind;
        if (status == 400 || status == 422) {
            kind = Kind.BAD_REQUEST;
        } else if (status == 401 || status == 403) {
            kind = Kind.UNAUTHORIZED;
        } else if (status == 404) {
            kind = Kind.NOT_FOUND;
        } else if (status == 409) {
            kind = Kind.CONFLICT;
        } else if (status == 429) {
            kind = Kind.THROTTLED;
        } else if (status == 408 || status >= 500) {
            kind = Kind.SERVICE_ERROR;
        } else {
            kind = Kind.BAD_REQUEST;
        }
        return new AgentServiceException(region, kind, status, retryAfterMillis(header),
                operation + " failed with " + ErrorSummary.of(status, null, message), error);
    }

    /** The delay asked for by {@code retry-after-ms}, {@code x-ms-retry-after-ms} or {@code Retry-After}. */
    static long retryAfterMillis(Function<String, Optional<String>> header) {
        for (String name : new String[] {"retry-after-ms", "x-ms-retry-after-ms"}) {
            Optional<String> value = header.apply(name);
            if (value.isPresent()) {
                try {
                    return Long.parseLong(value.get().trim());
                } catch (NumberFormatException ignored) {
                    // fall through to the next header
                }
            }
        }
        Optional<String> seconds = header.apply("Retry-After");
        if (seconds.isPresent()) {
            try {
                return (long) (Double.parseDouble(seconds.get().trim()) * 1000);
            } catch (NumberFormatException ignored) {
                return -1;
            }
        }
        return -1;
    }

    private static boolean hasIoCause(Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause()) {
            if (t instanceof IOException) {
                return true;
            }
        }
        return false;
    }

    /**
     * True when the request certainly never reached the service: the connection was refused or could not be
     * opened (unknown or unroutable host). A reset, a timeout or an end of stream after connecting may follow
     * a request the service received.
     */
    static boolean notSent(Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause()) {
            if (t instanceof java.net.ConnectException || t instanceof java.net.UnknownHostException
                    || t instanceof java.net.NoRouteToHostException) {
                return true;
            }
            if (t.getCause() == t) {
                break;
            }
        }
        return false;
    }

    private static String rootMessage(Throwable error) {
        Throwable root = error;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getClass().getSimpleName() + (root.getMessage() == null ? "" : ": " + ErrorSummary.of(root.getMessage()));
    }
}
