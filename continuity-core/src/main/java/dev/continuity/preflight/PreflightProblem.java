package dev.continuity.preflight;

import dev.continuity.Secrets;
import dev.continuity.definition.DefinitionProblem;
import java.util.Objects;

/**
 * Something that must be fixed before a region can be rehydrated.
 *
 * @param source what the problem is in: a definition file, the topology file, a region, the journal
 * @param pointer JSON pointer of the field involved, or {@code ""}
 * @param message what is wrong and where to fix it; any secret it quotes (a URL's {@code user:password@}, a
 *     secret query parameter) is {@link Secrets#redact redacted}
 */
public record PreflightProblem(String source, String pointer, String message) {
    /** Validates the fields. */
    public PreflightProblem {
        Objects.requireNonNull(source, "source");
        pointer = pointer == null ? "" : pointer;
        message = Secrets.redact(Objects.requireNonNull(message, "message"));
    }

    /** From a definition or binding problem. */
    public static PreflightProblem of(DefinitionProblem problem) {
        return new PreflightProblem(String.valueOf(problem.file()), problem.jsonPointer(), problem.reason());
    }

    @Override
    public String toString() {
        return source + (pointer.isEmpty() ? "" : " " + pointer) + ": " + message;
    }
}
