package dev.continuity.emulator.internal.model;

/** The scripted model's token arithmetic: one token per four characters, rounded up, at least one. */
public final class TokenCount {

    private TokenCount() {
    }

    /** Tokens for a number of characters: {@code max(1, ceil(chars / 4))}. */
    public static long of(long chars) {
        return Math.max(1L, (chars + 3) / 4);
    }
}
