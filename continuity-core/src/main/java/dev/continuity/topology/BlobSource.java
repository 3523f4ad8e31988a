package dev.continuity.topology;

import java.util.Objects;

/**
 * Where the files of a file knowledge source live in a region, for knowledge sync.
 *
 * @param accountUrl the storage account's blob endpoint (no SAS, no key), or null
 * @param container the container
 * @param prefix the blob name prefix ({@code ""} for the whole container)
 */
public record BlobSource(String accountUrl, String container, String prefix) {
    /** Validates the fields. */
    public BlobSource {
        Objects.requireNonNull(container, "container");
        prefix = prefix == null ? "" : prefix;
    }
}
