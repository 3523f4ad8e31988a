package dev.continuity.knowledge;

import java.util.List;
import java.util.Objects;

/**
 * What one sync of a knowledge source into a region did.
 *
 * @param knowledgeName the logical knowledge source
 * @param region the target region
 * @param vectorStoreId the region's vector store holding the files (the id the deployer renders)
 * @param createdVectorStore true when this sync created the vector store
 * @param added paths new to the region (uploaded)
 * @param replaced paths whose content changed (uploaded; the old file detached and deleted)
 * @param removed paths no longer in the source (detached and deleted)
 * @param unchanged number of files left as they were
 * @param elapsedMillis wall time of the sync
 */
public record KnowledgeSyncReport(String knowledgeName, String region, String vectorStoreId, boolean createdVectorStore,
        List<String> added, List<String> replaced, List<String> removed, int unchanged, long elapsedMillis) {

    /** Validates and copies. */
    public KnowledgeSyncReport {
        Objects.requireNonNull(knowledgeName, "knowledgeName");
        Objects.requireNonNull(region, "region");
        Objects.requireNonNull(vectorStoreId, "vectorStoreId");
        added = List.copyOf(added);
        replaced = List.copyOf(replaced);
        removed = List.copyOf(removed);
    }

    /** Files uploaded by this sync (added + replaced). */
    public int uploads() {
        return added.size() + replaced.size();
    }

    @Override
    public String toString() {
        return knowledgeName + " -> " + region + " " + vectorStoreId + ": " + added.size() + " added, " + replaced.size()
                + " replaced, " + removed.size() + " removed, " + unchanged + " unchanged (" + elapsedMillis + " ms)";
    }
}
