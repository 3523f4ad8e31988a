package dev.continuity.journal;

import java.util.regex.Pattern;

/**
 * Tenant ids: every conversation belongs to exactly one tenant, named when the conversation is created
 * ({@link ConversationHead#tenant()}) and never changed. Data journaled before tenants existed, and every
 * conversation an application creates without naming a tenant, belongs to {@link #DEFAULT}.
 *
 * <p>A tenant id is 1 to 128 characters of letters, digits, {@code .}, {@code _} and {@code -}, starting with
 * a letter or digit: it is used as a Cosmos DB property value, an SQLite column and a CLI argument, and is
 * echoed in errors, so it must not carry anything the application would not log.
 */
public final class Tenants {

    /** The tenant of every conversation created without naming one. */
    public static final String DEFAULT = "default";
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");

    private Tenants() {
    }

    /** Whether {@code tenant} is a valid tenant id. */
    public static boolean isValid(String tenant) {
        return tenant != null && ID.matcher(tenant).matches();
    }

    /**
     * {@code tenant} if it is a valid tenant id.
     *
     * @param where what names the tenant (a conversation key, an option), for the error
     * @throws IllegalArgumentException naming {@code where} if it is not
     */
    public static String require(String tenant, String where) {
        if (!isValid(tenant)) {
            throw new IllegalArgumentException("tenant id " + (tenant == null ? "null" : "'" + tenant + "'")
                    + " of " + where + " is not valid: 1 to 128 letters, digits, '.', '_' or '-', starting with a "
                    + "letter or digit");
        }
        return tenant;
    }
}
