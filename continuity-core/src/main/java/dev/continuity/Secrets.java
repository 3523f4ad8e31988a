package dev.continuity;

import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The one rule for secrets in what Continuity reads and says: which names hold a credential (fields of a
 * topology or definition, HTTP headers, URL query parameters), which values carry one (a URL with
 * {@code user:password@}, a query such as {@code ?api-key=...} or a SAS {@code sig=}, a connection
 * string with {@code AccountKey=}), and how text that may carry one is redacted before it is shown.
 *
 * <p>The topology and definition loaders refuse what {@link #problemIn(String)} or {@link #isSecretName}
 * finds; every error message and log line that shows an endpoint, URL or topology value passes through
 * {@link #redact(String)}, which replaces the user information of a URL and the value of every secret
 * query parameter or connection-string pair with {@value #MASK}.
 */
public final class Secrets {

    /** What a redacted secret reads as. */
    public static final String MASK = "***";

    /** Normalized (lower-case letters and digits only) names that hold credentials. */
    private static final Set<String> SECRET_NAMES = Set.of("key", "apikey", "secret", "clientsecret", "password",
            "passwd", "pwd", "connectionstring", "accountkey", "accesskey", "sharedaccesskey", "sas", "sastoken",
            "token", "accesstoken", "bearertoken", "credential", "credentials", "primarykey", "secondarykey",
            "authorization", "proxyauthorization", "cookie", "setcookie", "idtoken", "refreshtoken",
            "subscriptionkey", "ocpapimsubscriptionkey", "sharedaccesssignature", "signature");
    private static final String[] SECRET_SUFFIXES = {"key", "secret", "password", "connectionstring", "token",
            "signature", "credential", "credentials"};
    /**
     * Query parameters that carry a credential although their name is not credential-like: Azure Functions'
     * {@code code}, the SAS signature {@code sig} and SAS version {@code sv} (a SAS URL), cloud signatures.
     */
    private static final Set<String> SECRET_QUERY_NAMES = Set.of("code", "sig", "sv", "auth", "xamzsignature",
            "xamzcredential", "xamzsecuritytoken", "xgoogsignature", "xgoogcredential", "accesstoken", "apikey");
    /** Connection-string pairs that carry a credential wherever they appear in text. */
    private static final Pattern CONNECTION_SECRET = Pattern.compile(
            "(?i)(?<![A-Za-z0-9_.-])(accountkey|sharedaccesskey|sharedaccesssignature|password|pwd)=([^;&\\s'\"]*)");
    /** {@code scheme://userinfo@} in a well-formed URL. */
    private static final Pattern USERINFO = Pattern.compile("(?i)[a-z][a-z0-9+.-]*://[^/?#@\\s'\"]+@");
    /**
     * What to redact: from {@code scheme://} to the last {@code @} of the same word (group 1 is the scheme
     * part), so a password that holds a {@code /} (a URL that does not parse) is masked too.
     */
    private static final Pattern USERINFO_TO_REDACT = Pattern.compile("(?i)([a-z][a-z0-9+.-]*://)[^\\s'\"<>]*@");
    /**
     * A query, fragment (OAuth's {@code #access_token=}) or {@code ;}-separated parameter: group 1 its
     * separator, 2 its name, 3 its value.
     */
    private static final Pattern PARAMETER = Pattern.compile("([?&;#])([A-Za-z0-9_.~%-]+)=([^&;#\\s'\")]*)");

    private Secrets() {
    }

    /**
     * True when a field, header or parameter of this name would hold a credential ({@code key},
     * {@code api_key}, {@code clientSecret}, {@code password}, {@code *_token}, {@code Authorization},
     * {@code Cookie}, ...). Case, {@code -} and {@code _} do not matter.
     */
    public static boolean isSecretName(String name) {
        String n = normalize(name);
        if (SECRET_NAMES.contains(n)) {
            return true;
        }
        for (String suffix : SECRET_SUFFIXES) {
            if (n.endsWith(suffix)) {
                return true;
            }
        }
        return false;
    }

    /**
     * True when a URL query parameter of this name carries a credential: every {@link #isSecretName secret
     * name}, and {@code code} (Azure Functions), {@code sig} and {@code sv} (SAS), {@code X-Amz-Signature}
     * and the like.
     */
    public static boolean isSecretQueryParameter(String name) {
        String n = normalize(name);
        return SECRET_QUERY_NAMES.contains(n) || isSecretName(n);
    }

    /**
     * Why {@code value} carries a credential, or empty when it does not: a URL with user information, a
     * secret query parameter, or a connection-string pair such as {@code AccountKey=}. The reason never
     * quotes the secret.
     */
    public static Optional<String> problemIn(String value) {
        if (value == null) {
            return Optional.empty();
        }
        if (USERINFO.matcher(value).find()) {
            return Optional.of("URL carries a user name or password ('user:password@')");
        }
        Matcher p = PARAMETER.matcher(value);
        while (p.find()) {
            if (isSecretQueryParameter(decode(p.group(2)))) {
                return Optional.of(switch (p.group(1)) {
                    case ";" -> "value looks like a connection string with a credential ('" + p.group(2) + "=')";
                    case "#" -> "URL carries a credential in its fragment ('" + p.group(2) + "=')";
                    default -> "URL carries a credential in its query ('" + p.group(2) + "=')";
                });
            }
        }
        Matcher pair = CONNECTION_SECRET.matcher(value);
        if (pair.find()) {
            return Optional.of("value looks like a connection string with a credential ('" + pair.group(1)
                    + "=')");
        }
        return Optional.empty();
    }

    /**
     * {@code text} with every secret it may carry replaced by {@value #MASK}: the user information of each
     * URL ({@code https://***@host/...}), the value of each secret query parameter
     * ({@code ?api-key=***}) and of each connection-string credential ({@code AccountKey=***}). Null stays
     * null. Use it on every message or log line that shows an endpoint, a URL or a topology value.
     */
    public static String redact(String text) {
        if (text == null) {
            return null;
        }
        String out = USERINFO_TO_REDACT.matcher(text).replaceAll(m -> Matcher.quoteReplacement(m.group(1) + MASK + "@"));
        out = PARAMETER.matcher(out).replaceAll(m -> Matcher.quoteReplacement(
                isSecretQueryParameter(decode(m.group(2))) && !m.group(3).equals(MASK)
                        ? m.group(1) + m.group(2) + "=" + MASK : m.group()));
        return CONNECTION_SECRET.matcher(out).replaceAll(m -> Matcher.quoteReplacement(m.group(1) + "=" + MASK));
    }

    private static String decode(String name) {
        return name.replace("%2D", "-").replace("%2d", "-").replace("%5F", "_").replace("%5f", "_");
    }

    private static String normalize(String name) {
        return name.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]", "");
    }
}
