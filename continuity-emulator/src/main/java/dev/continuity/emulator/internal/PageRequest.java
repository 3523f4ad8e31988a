package dev.continuity.emulator.internal;

import java.util.Map;

/**
 * The paging parameters of a list call: {@code limit} (default 20, 1..100), {@code order}
 * ({@code asc}|{@code desc}, default desc), {@code after}, {@code before}.
 *
 * @param limit     page size
 * @param ascending true for {@code order=asc}
 * @param after     cursor: the page starts after this id (in list order), or null
 * @param before    cursor: the page ends before this id (in list order), or null
 */
public record PageRequest(int limit, boolean ascending, String after, String before) {

    /**
     * Parses the query parameters.
     *
     * @throws ApiException 400 for a bad limit or order
     */
    public static PageRequest parse(Map<String, String> query) {
        return parse(query, Limits.DEFAULT_PAGE, Limits.MAX_PAGE);
    }

    /**
     * Parses the query parameters with the given default and maximum {@code limit}.
     *
     * @throws ApiException 400 for a bad limit or order
     */
    public static PageRequest parse(Map<String, String> query, int defaultLimit, int maxLimit) {
        int limit = defaultLimit;
        String rawLimit = query.get("limit");
        if (rawLimit != null && !rawLimit.isEmpty()) {
            try {
                limit = Integer.parseInt(rawLimit.trim());
            } catch (NumberFormatException e) {
                throw ApiException.badRequest("invalid_value", "'limit' must be an integer, got '" + rawLimit + "'", "limit");
            }
            if (limit < 1 || limit > maxLimit) {
                throw ApiException.badRequest("invalid_value", "'limit' must be between 1 and " + maxLimit
                        + ", got " + limit, "limit");
            }
        }
        String order = query.get("order");
        boolean ascending;
        if (order == null || order.isEmpty() || order.equals("desc")) {
            ascending = false;
        } else if (order.equals("asc")) {
            ascending = true;
        } else {
            throw ApiException.badRequest("invalid_value", "'order' must be 'asc' or 'desc', got '" + order + "'", "order");
        }
        return new PageRequest(limit, ascending, emptyToNull(query.get("after")), emptyToNull(query.get("before")));
    }

    private static String emptyToNull(String value) {
        return value == null || value.isEmpty() ? null : value;
    }
}
