package dev.continuity.emulator.internal.model;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code call NAME} or {@code call NAME {json}} emits one {@code function_call} of the function tool
 * NAME with the JSON text as arguments ({@code {}} when absent). The call id is derived from the
 * conversation id and the conversation's item count, so it is deterministic.
 */
public final class CallCommand implements ScriptCommand {

    /** NAME uses OpenAI's function-name alphabet; what follows, if anything, must start with '{'. */
    private static final Pattern PATTERN =
            Pattern.compile("(?is)^\\s*call\\s+([A-Za-z0-9_-]+)\\s*(\\{.*?)?\\s*$");

    @Override
    public Optional<ModelReply> answer(ModelTurn turn, int trigger) {
        Matcher m = turn.triggerMessage(trigger, PATTERN).orElse(null);
        if (m == null) {
            return Optional.empty();
        }
        String name = m.group(1);
        if (!turn.functionTools().contains(name)) {
            String who = turn.agentName() == null
                    ? "The request"
                    : "Agent " + turn.agentName() + " version " + turn.agentVersion();
            throw new ModelException(who + " has no function tool '" + name + "' (function tools: "
                    + (turn.functionTools().isEmpty() ? "none" : String.join(", ", turn.functionTools().stream().sorted().toList()))
                    + ")");
        }
        String arguments = m.group(2) == null ? "{}" : m.group(2);
        String callId = callId(turn.conversationId(), turn.items().size());
        return Optional.of(new ModelReply(List.of(new ModelOutput.FunctionCall(callId, name, arguments))));
    }

    /** {@code call_} + 24 hex digits of SHA-256(conversation id + "#" + item count). */
    static String callId(String conversationId, int itemCount) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(
                    ((conversationId == null ? "none" : conversationId) + "#" + itemCount)
                            .getBytes(StandardCharsets.UTF_8));
            return "call_" + HexFormat.of().formatHex(digest, 0, 12);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is not available", e);
        }
    }
}
