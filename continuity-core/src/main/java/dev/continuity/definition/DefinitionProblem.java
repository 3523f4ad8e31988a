package dev.continuity.definition;

import dev.continuity.Secrets;
import java.nio.file.Path;
import java.util.Objects;

/**
 * One problem found in a definition or topology file.
 *
 * @param file the file the problem is in (for a missing directory: the directory)
 * @param jsonPointer RFC 6901 pointer to the offending value inside the file; {@code ""} for the
 *     whole file (e.g. a JSON syntax error, whose position is then given in the reason)
 * @param reason what is wrong, naming the offending value and, where there is one, the fix; any secret it
 *     quotes (a URL's {@code user:password@}, a secret query parameter) is {@link Secrets#redact redacted}
 */
public record DefinitionProblem(Path file, String jsonPointer, String reason) {

    /** Validates the fields. */
    public DefinitionProblem {
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(jsonPointer, "jsonPointer");
        reason = Secrets.redact(Objects.requireNonNull(reason, "reason"));
    }

    /**
     * {@code file:pointer: reason}, or {@code file: reason} when the problem concerns the whole file.
     */
    @Override
    public String toString() {
        return jsonPointer.isEmpty() ? file + ": " + reason : file + ":" + jsonPointer + ": " + reason;
    }
}
