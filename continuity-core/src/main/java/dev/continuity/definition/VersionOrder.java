package dev.continuity.definition;

import java.math.BigInteger;
import java.util.Comparator;

/**
 * How source versions are ordered, and so which version is "latest": natural order. A version is
 * split into runs of digits and runs of other characters; runs are compared left to right, digit
 * runs by numeric value, other runs by character (case-insensitively, then case-sensitively); when
 * all compared runs are equal, the version with more runs is greater.
 *
 * <p>This orders dates ({@code 2026-06-26 < 2026-07-01}), dotted versions and semantic versions
 * without pre-release suffixes ({@code 1.9.0 < 1.10.0}) and plain counters ({@code 2 < 10}) as
 * expected. It does not implement semver pre-release precedence: {@code 1.0.0-rc1} sorts
 * <em>after</em> {@code 1.0.0}. Two spellings of the same number ({@code 1} and {@code 01}) compare
 * equal; the loader reports two versions of one agent that compare equal as a problem.
 */
public final class VersionOrder implements Comparator<String> {

    /** The one instance. */
    public static final VersionOrder INSTANCE = new VersionOrder();

    private VersionOrder() {
    }

    @Override
    public int compare(String a, String b) {
        int i = 0;
        int j = 0;
        while (i < a.length() && j < b.length()) {
            int iEnd = runEnd(a, i);
            int jEnd = runEnd(b, j);
            String ra = a.substring(i, iEnd);
            String rb = b.substring(j, jEnd);
            boolean da = Character.isDigit(ra.charAt(0));
            boolean db = Character.isDigit(rb.charAt(0));
            int c;
            if (da && db) {
                c = new BigInteger(ra).compareTo(new BigInteger(rb));
            } else if (da != db) {
                c = da ? -1 : 1; // a number sorts before text at the same position
            } else {
                c = ra.compareToIgnoreCase(rb);
                if (c == 0) {
                    c = ra.compareTo(rb);
                }
            }
            if (c != 0) {
                return c;
            }
            i = iEnd;
            j = jEnd;
        }
        return Boolean.compare(i < a.length(), j < b.length());
    }

    private static int runEnd(String s, int start) {
        boolean digit = Character.isDigit(s.charAt(start));
        int end = start + 1;
        while (end < s.length() && Character.isDigit(s.charAt(end)) == digit) {
            end++;
        }
        return end;
    }
}
