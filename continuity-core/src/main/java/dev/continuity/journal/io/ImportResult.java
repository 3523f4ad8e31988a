package dev.continuity.journal.io;

/**
 * What an import did. Importing the same file again writes nothing: every count of written things is
 * then 0 and the file's conversations and turns are all counted as already present.
 *
 * @param conversationsWritten conversation heads created
 * @param conversationsPresent conversations the journal already had (same agent and version)
 * @param turnsWritten turns appended, or pending turns committed with the file's outcome
 * @param turnsPresent turns the journal already had, identical
 * @param cursorsWritten region cursors added to heads that had none for that region
 */
public record ImportResult(long conversationsWritten, long conversationsPresent, long turnsWritten,
        long turnsPresent, long cursorsWritten) {

    /** True when the import did not change the journal. */
    public boolean changedNothing() {
        return conversationsWritten == 0 && turnsWritten == 0 && cursorsWritten == 0;
    }
}
