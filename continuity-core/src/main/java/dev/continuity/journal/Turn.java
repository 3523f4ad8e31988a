package dev.continuity.journal;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.continuity.json.ExactJson;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * One journaled turn of a conversation: the input the application sent and, once committed, the
 * service's output.
 *
 * <p>Turns are identified by {@code (conversationKey, sequence)}; sequences start at 1 and have no
 * gaps. The journal compares turns with {@link #sameRequest(Turn)} and {@link #sameOutcome(Turn)} to
 * tell an idempotent retry from a conflict; timestamps do not take part in either comparison.
 *
 * @param conversationKey the application's stable key of the conversation (region independent)
 * @param sequence position of the turn in the conversation, from 1
 * @param agentName the agent that served (or is to serve) the turn
 * @param agentVersion that agent's version, or {@code null} for "latest"
 * @param input items the application sent
 * @param output items the service answered with (empty while pending)
 * @param responseId the service's response id (null while pending)
 * @param region the region that served the turn (null while pending)
 * @param usage token usage (NONE while pending)
 * @param status pending or committed
 * @param startedAt when the turn was journaled
 * @param completedAt when it was committed (null while pending)
 * @param options the turn's Responses API options as JSON text ({@code TurnOptions#toJson()}), or null for
 *     none: journaled with the input so a pending turn is completed with the same options
 */
public record Turn(
        String conversationKey,
        long sequence,
        String agentName,
        String agentVersion,
        List<TurnItem> input,
        List<TurnItem> output,
        String responseId,
        String region,
        TokenUsage usage,
        TurnStatus status,
        Instant startedAt,
        Instant completedAt,
        String options) {

    /** A turn without options. */
    public Turn(String conversationKey, long sequence, String agentName, String agentVersion, List<TurnItem> input,
            List<TurnItem> output, String responseId, String region, TokenUsage usage, TurnStatus status,
            Instant startedAt, Instant completedAt) {
        this(conversationKey, sequence, agentName, agentVersion, input, output, responseId, region, usage, status,
                startedAt, completedAt, null);
    }

    /** Validates required fields and copies lists. */
    public Turn {
        Objects.requireNonNull(conversationKey, "conversationKey");
        Objects.requireNonNull(agentName, "agentName");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(startedAt, "startedAt");
        if (sequence < 1) {
            throw new IllegalArgumentException("sequence must be >= 1, was " + sequence);
        }
        input = List.copyOf(input);
        output = output == null ? List.of() : List.copyOf(output);
        usage = usage == null ? TokenUsage.NONE : usage;
        options = options == null || options.isEmpty() || options.equals("{}") ? null : options;
    }

    /** A new pending turn. */
    public static Turn pending(String conversationKey, long sequence, String agentName, String agentVersion,
            List<TurnItem> input, Instant startedAt) {
        return pending(conversationKey, sequence, agentName, agentVersion, input, startedAt, null);
    }

    /** A new pending turn with options (JSON text, or null). */
    public static Turn pending(String conversationKey, long sequence, String agentName, String agentVersion,
            List<TurnItem> input, Instant startedAt, String options) {
        return new Turn(conversationKey, sequence, agentName, agentVersion, input, List.of(), null, null,
                TokenUsage.NONE, TurnStatus.PENDING, startedAt, null, options);
    }

    /** This turn committed with the given outcome. */
    public Turn committed(TurnOutcome outcome) {
        return new Turn(conversationKey, sequence, agentName, agentVersion, input, outcome.output(),
                outcome.responseId(), outcome.region(), outcome.usage(), TurnStatus.COMMITTED, startedAt,
                outcome.completedAt(), options);
    }

    /** The outcome of a committed turn, or {@code null} while pending. */
    public TurnOutcome outcome() {
        return status == TurnStatus.COMMITTED
                ? new TurnOutcome(output, responseId, region, usage, completedAt)
                : null;
    }

    /**
     * True when both turns describe the same request (key, sequence, agent, input, options). Options are
     * compared as JSON values, as items are: the order of an object's fields and white space do not count,
     * numbers count as written ({@code 1.50} is not {@code 1.5}: the service would be asked with other text).
     */
    public boolean sameRequest(Turn other) {
        return conversationKey.equals(other.conversationKey)
                && sequence == other.sequence
                && agentName.equals(other.agentName)
                && Objects.equals(agentVersion, other.agentVersion)
                && input.equals(other.input)
                && sameOptions(options, other.options);
    }

    private static boolean sameOptions(String a, String b) {
        if (Objects.equals(a, b)) {
            return true;
        }
        if (a == null || b == null) {
            return false;
        }
        try {
            return ExactJson.parse(a).equals(ExactJson.parse(b)); // objects: fields in any order; numbers by text
        } catch (JsonProcessingException e) {
            return false; // not JSON: only the same text is the same request
        }
    }

    /** True when both turns have the same status and, if committed, the same outcome (ignoring time). */
    public boolean sameOutcome(Turn other) {
        return status == other.status
                && output.equals(other.output)
                && Objects.equals(responseId, other.responseId)
                && Objects.equals(region, other.region)
                && usage.equals(other.usage);
    }

    /** Input followed by output: the items this turn added to the conversation. */
    public List<TurnItem> items() {
        if (output.isEmpty()) {
            return input;
        }
        List<TurnItem> all = new java.util.ArrayList<>(input.size() + output.size());
        all.addAll(input);
        all.addAll(output);
        return List.copyOf(all);
    }
}
