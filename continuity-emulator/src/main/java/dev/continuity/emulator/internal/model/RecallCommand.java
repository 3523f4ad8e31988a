package dev.continuity.emulator.internal.model;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code recall KEY} answers {@code KEY is VALUE.} from the latest earlier user message
 * {@code remember KEY=VALUE} of the conversation, else {@code I don't know KEY.}
 */
public final class RecallCommand implements ScriptCommand {

    private static final Pattern PATTERN = Pattern.compile("(?is)^\\s*recall\\s+(.+?)\\s*$");

    @Override
    public Optional<ModelReply> answer(ModelTurn turn, int trigger) {
        Matcher m = turn.triggerMessage(trigger, PATTERN).orElse(null);
        if (m == null) {
            return Optional.empty();
        }
        String key = m.group(1);
        String value = rememberedEarlier(turn, trigger, key);
        return Optional.of(ModelReply.message(value != null ? key + " is " + value + "." : "I don't know " + key + "."));
    }

    /** The VALUE of the latest user message {@code remember KEY=VALUE} before {@code trigger}, or null. */
    static String rememberedEarlier(ModelTurn turn, int trigger, String key) {
        for (int i = trigger - 1; i >= 0; i--) {
            ModelItem item = turn.items().get(i);
            if (!item.isUserMessage()) {
                continue;
            }
            Matcher remembered = RememberCommand.PATTERN.matcher(item.text());
            if (remembered.matches() && remembered.group(1).equals(key)) {
                return remembered.group(2);
            }
        }
        return null;
    }
}
