package dev.continuity;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns an error body or an SDK error message into one bounded line for an exception message, a report
 * or the console: HTML tags, scripts, styles and comments are stripped (a gateway's HTML error page shows
 * as its title and first words), whitespace and line breaks collapse to single spaces, a JSON error body
 * ({@code {"error":{"code","message"}}}) shows as {@code code: message}, and the result is cut at
 * {@link #MAX_LENGTH} characters. The one place every adapter error that may carry a response body goes
 * through (Agent Service, search, blob storage, Cosmos DB).
 */
public final class ErrorSummary {

    /** The longest summary, in characters (an ellipsis marks a cut). */
    public static final int MAX_LENGTH = 200;

    private static final Pattern BLOCKS = Pattern.compile("(?is)<(script|style|head)\\b[^>]*>.*?</\\1\\s*>|<!--.*?-->");
    private static final Pattern TITLE = Pattern.compile("(?is)<title\\b[^>]*>(.*?)</title\\s*>");
    private static final Pattern TAG = Pattern.compile("(?s)</?[a-zA-Z!][^>]*>");
    private static final Pattern JSON_CODE = Pattern.compile("\"code\"\\s*:\\s*\"([^\"]{1,100})\"");
    private static final Pattern JSON_MESSAGE = Pattern.compile("\"message\"\\s*:\\s*\"((?:[^\"\\\\]|\\\\.){0,400})");

    private ErrorSummary() {
    }

    /**
     * One line for {@code text} (an SDK exception's message or a response body); {@code "(no message)"}
     * when it is {@code null} or blank.
     */
    public static String of(String text) {
        if (text == null || text.isBlank()) {
            return "(no message)";
        }
        String s = text;
        if (looksLikeHtml(s)) {
            String title = null;
            Matcher t = TITLE.matcher(s);
            if (t.find()) {
                title = plain(t.group(1));
            }
            String body = plain(TAG.matcher(BLOCKS.matcher(s).replaceAll(" ")).replaceAll(" "));
            s = title == null || title.isEmpty() || body.startsWith(title) ? body : title + ": " + body;
        } else {
            Matcher code = JSON_CODE.matcher(s);
            Matcher message = JSON_MESSAGE.matcher(s);
            if (s.contains("{") && message.find()) {
                String prefix = s.substring(0, Math.max(0, s.indexOf('{'))).strip();
                String detail = (code.find() ? code.group(1) + ": " : "") + message.group(1).replace("\\\"", "\"")
                        .replace("\\n", " ");
                s = prefix.isEmpty() ? detail : prefix + " " + detail;
            }
            s = plain(s);
        }
        if (s.isEmpty()) {
            return "(no message)";
        }
        return bounded(s);
    }

    /**
     * As {@link #of(String)} for a message whose first line says what failed and whose further lines are
     * diagnostics (Cosmos DB): only the first non-blank line is summarised, unless the text is an HTML page.
     */
    public static String firstLineOf(String text) {
        if (text == null || looksLikeHtml(text)) {
            return of(text);
        }
        for (String line : text.split("\\R")) {
            if (!line.isBlank()) {
                return of(line);
            }
        }
        return of(null);
    }

    /**
     * {@code HTTP <status> <reason>[ (<code>)]: <summary of body>}, e.g.
     * {@code HTTP 502 Bad Gateway: 502 Bad Gateway nginx}; without a body only the head.
     *
     * @param status the HTTP status (0 when there was no answer: then only the summary)
     * @param code the service's error code, or {@code null}
     * @param body the response body or the SDK's message, or {@code null}
     */
    public static String of(int status, String code, String body) {
        String summary = of(body);
        String head = status > 0 ? "HTTP " + status + reason(status) : "";
        if (code != null && !code.isBlank()) {
            head = head.isEmpty() ? plain(code) : head + " (" + plain(code) + ")";
        }
        if (head.isEmpty()) {
            return summary;
        }
        return summary.equals("(no message)") ? bounded(head) : bounded(head + ": " + summary);
    }

    /** The standard reason phrase of common error statuses, with a leading space, or "". */
    private static String reason(int status) {
        return switch (status) {
            case 400 -> " Bad Request";
            case 401 -> " Unauthorized";
            case 403 -> " Forbidden";
            case 404 -> " Not Found";
            case 408 -> " Request Timeout";
            case 409 -> " Conflict";
            case 413 -> " Payload Too Large";
            case 429 -> " Too Many Requests";
            case 500 -> " Internal Server Error";
            case 502 -> " Bad Gateway";
            case 503 -> " Service Unavailable";
            case 504 -> " Gateway Timeout";
            default -> "";
        };
    }

    private static boolean looksLikeHtml(String s) {
        String lower = s.toLowerCase(Locale.ROOT);
        return lower.contains("<html") || lower.contains("<!doctype") || lower.contains("<body")
                || lower.contains("<head") || lower.contains("<title") || lower.contains("</") || lower.contains("<br");
    }

    /** Entities decoded, control characters and runs of whitespace made single spaces. */
    private static String plain(String s) {
        String decoded = s.replace("&nbsp;", " ").replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", "\"")
                .replace("&#39;", "'").replace("&apos;", "'").replace("&amp;", "&");
        StringBuilder out = new StringBuilder(Math.min(decoded.length(), 4 * MAX_LENGTH));
        boolean space = false;
        for (int i = 0; i < decoded.length() && out.length() <= 4 * MAX_LENGTH; i++) {
            char c = decoded.charAt(i);
            if (Character.isWhitespace(c) || Character.isISOControl(c) || Character.isSpaceChar(c)) {
                space = out.length() > 0;
            } else {
                if (space) {
                    out.append(' ');
                    space = false;
                }
                out.append(c);
            }
        }
        return out.toString();
    }

    private static String bounded(String s) {
        if (s.length() <= MAX_LENGTH) {
            return s;
        }
        int cut = s.lastIndexOf(' ', MAX_LENGTH - 1);
        if (cut < MAX_LENGTH / 2) {
            cut = MAX_LENGTH - 1;
        }
        if (Character.isHighSurrogate(s.charAt(cut - 1))) {
            cut--;
        }
        return s.substring(0, cut) + "…";
    }
}
