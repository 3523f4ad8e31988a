package dev.continuity.emulator.model;

import java.util.Objects;

/**
 * A file an answer cites, rendered as an {@code output_text} annotation
 * {@code {"type":"file_citation","file_id","filename","index"}}.
 *
 * @param fileId   the cited file's id in the answering region
 * @param filename the cited file's name
 */
public record Citation(String fileId, String filename) {

    /** Validates the citation. */
    public Citation {
        Objects.requireNonNull(fileId, "fileId");
        Objects.requireNonNull(filename, "filename");
    }
}
