package dev.continuity.emulator.internal;

/**
 * Cursor paging over a list kept in ascending order. A page is a range {@code [from, to)} of
 * ascending indexes, returned in the requested order. {@code after} starts the page just past its
 * cursor in list order; {@code before} alone ends it just before its cursor; with no cursor a page
 * starts at the list's beginning in the requested order. A cursor equal to the last element yields
 * an empty page, which is what ends the OpenAI auto-pager.
 */
public final class Paging {

    /**
     * Where a cursor falls in the ascending list.
     *
     * @param below   number of elements strictly before the cursor
     * @param through number of elements up to and including the cursor (== below when it is absent)
     */
    public record Bounds(int below, int through) {
    }

    /** Locates cursors; throws {@link ApiException} (400) for a cursor that cannot be placed. */
    @FunctionalInterface
    public interface CursorLocator {
        /** Locates the cursor given as parameter {@code param} ("after" or "before"). */
        Bounds locate(String cursor, String param);
    }

    /**
     * A page: ascending index range and whether more elements follow in the paging direction.
     *
     * @param from    first ascending index (inclusive)
     * @param to      last ascending index (exclusive)
     * @param hasMore more elements exist beyond this page
     */
    public record Slice(int from, int to, boolean hasMore) {
        /** Number of elements on the page. */
        public int size() {
            return to - from;
        }
    }

    private Paging() {
    }

    /** Computes the page of a list of {@code size} elements. */
    public static Slice slice(int size, PageRequest request, CursorLocator locator) {
        int lo = 0;
        int hi = size;
        if (request.after() != null) {
            Bounds b = locator.locate(request.after(), "after");
            if (request.ascending()) {
                lo = Math.max(lo, b.through());
            } else {
                hi = Math.min(hi, b.below());
            }
        }
        if (request.before() != null) {
            Bounds b = locator.locate(request.before(), "before");
            if (request.ascending()) {
                hi = Math.min(hi, b.below());
            } else {
                lo = Math.max(lo, b.through());
            }
        }
        if (lo >= hi) {
            return new Slice(lo, lo, false);
        }
        boolean anchoredLow = request.ascending()
                ? request.after() != null || request.before() == null
                : request.after() == null && request.before() != null;
        if (anchoredLow) {
            int to = Math.min(hi, lo + request.limit());
            return new Slice(lo, to, to < hi);
        }
        int from = Math.max(lo, hi - request.limit());
        return new Slice(from, hi, from > lo);
    }
}
