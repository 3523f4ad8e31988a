package dev.continuity.journal.io;

import dev.continuity.ContinuityException;
import java.nio.file.Path;

/**
 * A journal file could not be read or imported. The message starts with {@code FILE:LINE:} and says
 * what is wrong with that line; {@link #nothingWritten()} says whether the journal is untouched (a
 * malformed file is refused before anything is written) or holds what the lines before {@link #line()}
 * described (a line conflicted with what the journal already holds).
 */
public class JournalFileException extends ContinuityException {
    private static final long serialVersionUID = 1L;

    private final transient Path file;
    private final long line;
    private final boolean nothingWritten;

    /**
     * @param file the file
     * @param line the 1-based line number (0 when the problem is the file as a whole)
     * @param reason what is wrong with the line
     * @param nothingWritten true when nothing was written to the journal
     * @param cause the underlying failure, or {@code null}
     */
    public JournalFileException(Path file, long line, String reason, boolean nothingWritten, Throwable cause) {
        super(file + (line > 0 ? ":" + line : "") + ": " + reason, cause);
        this.file = file;
        this.line = line;
        this.nothingWritten = nothingWritten;
    }

    /** The file. */
    public Path file() {
        return file;
    }

    /** The 1-based line number, or 0 when the problem is the file as a whole. */
    public long line() {
        return line;
    }

    /** True when the journal was not changed by the failed import. */
    public boolean nothingWritten() {
        return nothingWritten;
    }
}
