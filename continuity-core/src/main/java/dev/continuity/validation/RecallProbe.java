package dev.continuity.validation;

import dev.continuity.journal.TurnItem;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Chooses, for a sampled conversation, a question that only its history can answer. The application
 * knows its conversations; Continuity cannot guess a meaningful question, so there is no default.
 */
@FunctionalInterface
public interface RecallProbe {

    /**
     * A check for this conversation, or empty to only compare its items.
     *
     * @param conversationKey the journal's key
     * @param items the conversation's committed items in order (reasoning left out)
     */
    Optional<RecallCheck> checkFor(String conversationKey, List<TurnItem> items);

    /**
     * The convention of the Continuity emulator's scripted model and of the sample app: the last
     * {@code remember K=V} a user said is answered by {@code recall K} with {@code K is V.}.
     */
    static RecallProbe rememberRecall() {
        Pattern remember = Pattern.compile("remember\\s+([^=\\s]+)\\s*=\\s*(.+)", Pattern.CASE_INSENSITIVE);
        return (key, items) -> {
            for (int i = items.size() - 1; i >= 0; i--) {
                TurnItem item = items.get(i);
                if ("user".equals(item.role())) {
                    Matcher m = remember.matcher(item.text().trim());
                    if (m.matches()) {
                        return Optional.of(new RecallCheck("recall " + m.group(1), m.group(1) + " is "
                                + m.group(2).trim()));
                    }
                }
            }
            return Optional.empty();
        };
    }
}
