package dev.continuity.foundry.internal;

import com.openai.core.http.HttpRequest;
import java.nio.charset.StandardCharsets;

/** The URL of an openai-java request: base URL, percent-encoded path segments and query. Not public API. */
final class OpenAIRequestUrl {

    private OpenAIRequestUrl() {
    }

    /** {@code request}'s URL. */
    static String of(HttpRequest request) {
        StringBuilder url = new StringBuilder(request.baseUrl());
        while (url.length() > 0 && url.charAt(url.length() - 1) == '/') {
            url.setLength(url.length() - 1);
        }
        for (String segment : request.pathSegments()) {
            url.append('/').append(encode(segment));
        }
        char sep = '?';
        for (String key : request.queryParams().keys()) {
            for (String value : request.queryParams().values(key)) {
                url.append(sep).append(encode(key)).append('=').append(encode(value));
                sep = '&';
            }
        }
        return url.toString();
    }

    /** Percent-encodes everything but RFC 3986 unreserved characters. */
    static String encode(String s) {
        StringBuilder out = new StringBuilder();
        for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
            char c = (char) (b & 0xff);
            if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '.'
                    || c == '_' || c == '~') {
                out.append(c);
            } else {
                out.append('%').append(Character.toUpperCase(Character.forDigit((b >> 4) & 0xf, 16)))
                        .append(Character.toUpperCase(Character.forDigit(b & 0xf, 16)));
            }
        }
        return out.toString();
    }
}
