package dev.continuity.topology;

import dev.continuity.io.ContainedRoot;
import java.util.Objects;
import java.util.Optional;

/**
 * Where the files of a file knowledge source live in a region, for knowledge sync.
 *
 * @param accountUrl the storage account's blob endpoint (no SAS, no key), or null
 * @param container the container
 * @param prefix the blob name prefix naming a folder ({@code ""} for the whole container, otherwise ending
 *     with {@code /}; see {@link #prefixProblem})
 */
public record BlobSource(String accountUrl, String container, String prefix) {
    /** Validates the fields. */
    public BlobSource {
        Objects.requireNonNull(container, "container");
        prefix = prefix == null ? "" : prefix;
    }

    /**
     * Why {@code prefix} does not name a folder of blobs, or empty when it does. A prefix is empty (the whole
     * container) or ends with {@code /}: {@code handbook} would also match {@code handbook-private/...}, files
     * outside the folder. It has no empty, {@code .} or {@code ..} segment, no backslash, NUL, leading
     * {@code /} or drive letter ({@link ContainedRoot#relativePathProblem}).
     */
    public static Optional<String> prefixProblem(String prefix) {
        if (prefix == null || prefix.isEmpty()) {
            return Optional.empty();
        }
        if (!prefix.endsWith("/")) {
            return Optional.of("must end with '/' (it names a folder; '" + prefix + "' would also match '" + prefix
                    + "-other/...')");
        }
        return ContainedRoot.relativePathProblem(prefix.substring(0, prefix.length() - 1));
    }
}
