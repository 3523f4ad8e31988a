package dev.continuity.emulator.internal.model;

import java.util.List;

/**
 * The files a responder's {@code file_search} tools can reach in the answering region: the files of
 * the vector stores named by the tools' {@code vector_store_ids} that exist in that region.
 */
public interface FileSearch {

    /** No {@code file_search} tool at all. */
    FileSearch NONE = new FileSearch() {
        @Override
        public boolean enabled() {
            return false;
        }

        @Override
        public List<Citation> find(String term) {
            return List.of();
        }
    };

    /** True when the responder has at least one {@code file_search} tool. */
    boolean enabled();

    /**
     * The files whose text contains {@code term}, ignoring case, each once, ordered by file name then
     * file id (empty when none matches or no bound vector store exists in this region).
     */
    List<Citation> find(String term);
}
