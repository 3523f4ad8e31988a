package dev.continuity.cosmos.internal;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;

/**
 * Position in the conversation listing (newest activity first, then key): the last item of the
 * previous page. The next page is a fresh query for what sorts after it (keyset paging), so a token
 * stays valid however long it is kept and works the same on every Cosmos DB account.
 *
 * @param lastActivityAt activity time of the last listed conversation
 * @param conversationKey key of the last listed conversation
 */
public record ListingToken(Instant lastActivityAt, String conversationKey) {

    private static final String PREFIX = "cosmos1:";

    /** The opaque, URL-safe form. */
    public String encode() {
        String plain = PREFIX + lastActivityAt.getEpochSecond() + ":" + lastActivityAt.getNano() + ":"
                + conversationKey;
        return Base64.getUrlEncoder().withoutPadding().encodeToString(plain.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Parses a token made by {@link #encode()}.
     *
     * @throws IllegalArgumentException if it is not such a token
     */
    public static ListingToken decode(String token) {
        try {
            String plain = new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8);
            if (!plain.startsWith(PREFIX)) {
                throw new IllegalArgumentException("wrong prefix");
            }
            int secondsEnd = plain.indexOf(':', PREFIX.length());
            int nanosEnd = plain.indexOf(':', secondsEnd + 1);
            long seconds = Long.parseLong(plain.substring(PREFIX.length(), secondsEnd));
            int nanos = Integer.parseInt(plain.substring(secondsEnd + 1, nanosEnd));
            return new ListingToken(Instant.ofEpochSecond(seconds, nanos), plain.substring(nanosEnd + 1));
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("continuation token '" + token
                    + "' was not issued by CosmosTurnJournal.listConversations", e);
        }
    }
}
