package dev.continuity.journal.spi;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;

/**
 * Position in a listing ordered by activity, newest first, then by key: the last item of the previous
 * page. Encoded as an opaque URL-safe string that names the journal kind that issued it (a
 * {@code scheme} such as {@code m1}, {@code s1} or {@code cosmos1}), so a token from another journal is
 * refused. Part of the journal SPI: for journal implementations, not for applications.
 *
 * @param lastActivityAt activity time of the last listed conversation
 * @param conversationKey key of the last listed conversation
 */
public record ListingToken(Instant lastActivityAt, String conversationKey) {

    /** The opaque form, for the journal kind {@code scheme}. */
    public String encode(String scheme) {
        String plain = scheme + ":" + lastActivityAt.getEpochSecond() + ":" + lastActivityAt.getNano() + ":"
                + conversationKey;
        return Base64.getUrlEncoder().withoutPadding().encodeToString(plain.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * True when a conversation with this activity and key comes after this position in a listing whose
     * keys of equal activity are ordered last first.
     */
    public boolean isFollowedBy(Instant activity, String key) {
        int byTime = activity.compareTo(lastActivityAt);
        return byTime < 0 || (byTime == 0 && key.compareTo(conversationKey) < 0);
    }

    /**
     * Parses a token made by {@link #encode(String)} with the same scheme.
     *
     * @throws IllegalArgumentException if it is not such a token
     */
    public static ListingToken decode(String token, String scheme) {
        return decode(token, scheme, "this journal's listConversations");
    }

    /**
     * Parses a token made by {@link #encode(String)} with the same scheme; a refusal says the token was
     * not issued by {@code issuer} (such as {@code CosmosTurnJournal.listConversations}).
     *
     * @throws IllegalArgumentException if it is not such a token
     */
    public static ListingToken decode(String token, String scheme, String issuer) {
        String prefix = scheme + ":";
        try {
            String plain = new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8);
            if (!plain.startsWith(prefix)) {
                throw new IllegalArgumentException("wrong prefix");
            }
            int secondsEnd = plain.indexOf(':', prefix.length());
            int nanosEnd = plain.indexOf(':', secondsEnd + 1);
            long seconds = Long.parseLong(plain.substring(prefix.length(), secondsEnd));
            int nanos = Integer.parseInt(plain.substring(secondsEnd + 1, nanosEnd));
            return new ListingToken(Instant.ofEpochSecond(seconds, nanos), plain.substring(nanosEnd + 1));
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("continuation token '" + token
                    + "' was not issued by " + issuer, e);
        }
    }
}
