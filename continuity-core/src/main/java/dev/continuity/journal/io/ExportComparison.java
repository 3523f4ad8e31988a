package dev.continuity.journal.io;

import dev.continuity.journal.ConversationHead;
import dev.continuity.journal.Turn;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * How a later export of a journal differs from an earlier one, turn by turn, by {@link TurnDigest}: the turns
 * whose content changed, the turns of the earlier export that the later one lacks, and the turns it adds. Both
 * files are read in full and validated as {@link JournalImporter} would (a line whose digest does not match its
 * content is refused, naming the file and line). Compare exports of the same form: a decrypted and a still
 * encrypted export of the same journal differ in every turn.
 *
 * @param turnsBefore turns in the earlier export
 * @param turnsAfter turns in the later export
 * @param changed turns in both whose digests differ
 * @param missing turns of the earlier export absent from the later one (erased, expired, or lost)
 * @param added turns only the later export holds
 */
public record ExportComparison(long turnsBefore, long turnsAfter, List<Difference> changed, List<Difference> missing,
        List<Difference> added) {

    /** Copies the lists. */
    public ExportComparison {
        changed = List.copyOf(changed);
        missing = List.copyOf(missing);
        added = List.copyOf(added);
    }

    /**
     * One turn that differs.
     *
     * @param conversationKey the conversation
     * @param sequence the turn
     * @param before its digest in the earlier export, or {@code null} when it was not there
     * @param after its digest in the later export, or {@code null} when it is not there
     */
    public record Difference(String conversationKey, long sequence, String before, String after) {
    }

    /** Whether every turn of the earlier export is in the later one, unchanged. */
    public boolean unchanged() {
        return changed.isEmpty() && missing.isEmpty();
    }

    /**
     * Compares {@code before} with {@code after}.
     *
     * @throws JournalFileException if either file is not a valid journal export (naming the file and line)
     */
    public static ExportComparison of(Path before, Path after) {
        Map<String, Map<Long, String>> earlier = digests(before);
        Map<String, Map<Long, String>> later = digests(after);
        List<Difference> changed = new ArrayList<>();
        List<Difference> missing = new ArrayList<>();
        List<Difference> added = new ArrayList<>();
        long turnsBefore = 0;
        long turnsAfter = 0;
        for (Map.Entry<String, Map<Long, String>> conversation : earlier.entrySet()) {
            Map<Long, String> now = later.getOrDefault(conversation.getKey(), Map.of());
            for (Map.Entry<Long, String> turn : conversation.getValue().entrySet()) {
                turnsBefore++;
                String digest = now.get(turn.getKey());
                if (digest == null) {
                    missing.add(new Difference(conversation.getKey(), turn.getKey(), turn.getValue(), null));
                } else if (!digest.equals(turn.getValue())) {
                    changed.add(new Difference(conversation.getKey(), turn.getKey(), turn.getValue(), digest));
                }
            }
        }
        for (Map.Entry<String, Map<Long, String>> conversation : later.entrySet()) {
            Map<Long, String> then = earlier.getOrDefault(conversation.getKey(), Map.of());
            for (Map.Entry<Long, String> turn : conversation.getValue().entrySet()) {
                turnsAfter++;
                if (!then.containsKey(turn.getKey())) {
                    added.add(new Difference(conversation.getKey(), turn.getKey(), null, turn.getValue()));
                }
            }
        }
        return new ExportComparison(turnsBefore, turnsAfter, changed, missing, added);
    }

    private static Map<String, Map<Long, String>> digests(Path file) {
        Objects.requireNonNull(file, "file");
        Map<String, Map<Long, String>> digests = new LinkedHashMap<>();
        new JournalFileReader(file, true).read(new JournalFileReader.Handler() {
            @Override
            public void conversation(ConversationHead head, long line) {
                digests.put(head.conversationKey(), new LinkedHashMap<>());
            }

            @Override
            public void turn(Turn turn, long line) {
                digests.get(turn.conversationKey()).put(turn.sequence(), TurnDigest.of(turn));
            }

            @Override
            public void conversationComplete(ConversationHead head, long headLine) {
                // nothing to do: the turns are collected as they come
            }
        });
        return digests;
    }
}
