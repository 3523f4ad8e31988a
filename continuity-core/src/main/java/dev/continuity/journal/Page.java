package dev.continuity.journal;

import java.util.List;

/**
 * One page of a listing.
 *
 * @param items the page's items
 * @param continuationToken opaque token for the next page, or {@code null} on the last page
 * @param <T> item type
 */
public record Page<T>(List<T> items, String continuationToken) {
    /** Copies the item list. */
    public Page {
        items = List.copyOf(items);
    }

    /** True when another page follows. */
    public boolean hasMore() {
        return continuationToken != null;
    }
}
