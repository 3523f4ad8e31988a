package dev.continuity.emulator.internal.model;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** {@code remember KEY=VALUE} answers {@code OK, I will remember KEY.} */
public final class RememberCommand implements ScriptCommand {

    /** {@code remember KEY=VALUE}; the command word is case-insensitive, KEY and VALUE are trimmed. */
    static final Pattern PATTERN = Pattern.compile("(?is)^\\s*remember\\s+([^=]+?)\\s*=\\s*(.*?)\\s*$");

    @Override
    public Optional<ModelReply> answer(ModelTurn turn, int trigger) {
        Matcher m = turn.triggerMessage(trigger, PATTERN).orElse(null);
        if (m == null) {
            return Optional.empty();
        }
        return Optional.of(ModelReply.message("OK, I will remember " + m.group(1) + "."));
    }
}
