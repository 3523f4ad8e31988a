package dev.continuity.emulator.internal.model;

import java.util.Objects;

/**
 * A file an answer cites, rendered as an {@code output_text} annotation
 * {@code {"type":"file_citation","file_id","filename","index"}}, and as one of a
 * {@code file_search_call}'s {@code results} when the request's {@code include} asks for them.
 *
 * @param fileId   the cited file's id in the answering region
 * @param filename the cited file's name
 * @param text     the matching line of the file (the search result's {@code text}); empty when unknown
 */
public record Citation(String fileId, String filename, String text) {

    /** Validates the citation. */
    public Citation {
        Objects.requireNonNull(fileId, "fileId");
        Objects.requireNonNull(filename, "filename");
        text = text == null ? "" : text;
    }

    /** A citation without the matching text. */
    public Citation(String fileId, String filename) {
        this(fileId, filename, "");
    }
}
