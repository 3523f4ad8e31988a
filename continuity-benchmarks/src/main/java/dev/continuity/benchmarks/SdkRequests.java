package dev.continuity.benchmarks;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * The bytes of the HTTP requests the library sends through openai-java 4.6.1 for the calls the emulator benchmark
 * makes, as built by {@code FoundryClientFactory} (API version pinned, no retries, the default 30 s time-outs):
 * request line, headers in the SDK's order with the SDK's values, and the body as the SDK serializes it. Lets a load generator
 * send the SDK's exact request without the SDK's CPU cost; {@code SdkRequestsMatchTheSdkTest} compares them
 * byte for byte with what the SDK itself sends.
 */
public final class SdkRequests {

    /** The API version the library pins. */
    static final String API_VERSION = "2025-11-15-preview";

    private final String path;
    private final String host;
    private final byte[] headers;

    private SdkRequests(String path, String host) {
        this.path = path;
        this.host = host;
        this.headers = ("Authorization: Bearer continuity-local\r\n"
                + "User-Agent: OpenAIClientImpl/Java 4.6.1\r\n"
                + "X-Stainless-Arch: " + arch() + "\r\n"
                + "X-Stainless-Lang: java\r\n"
                + "X-Stainless-OS: " + os() + "\r\n"
                + "X-Stainless-OS-Version: " + System.getProperty("os.version") + "\r\n"
                + "X-Stainless-Package-Version: 4.6.1\r\n"
                + "X-Stainless-Runtime: JRE\r\n"
                + "X-Stainless-Runtime-Version: " + System.getProperty("java.version") + "\r\n"
                + "X-Stainless-Read-Timeout: 30\r\n"
                + "X-Stainless-Timeout: 30\r\n"
                + "Content-Type: application/json\r\n").getBytes(StandardCharsets.ISO_8859_1);
    }

    /** The requests to the project at {@code projectEndpoint} ({@code http://host:port/api/projects/<name>}). */
    public static SdkRequests to(String projectEndpoint) {
        URI uri = URI.create(projectEndpoint);
        return new SdkRequests(uri.getRawPath() + "/openai", uri.getHost() + ":" + uri.getPort());
    }

    /**
     * A turn as the library sends it ({@code FoundryAgentService.respond}: {@code client.responses().create(...)}
     * with the conversation, the user's message as an input item and the agent reference). The arguments are
     * JSON-safe text (ids, names and plain words; nothing is escaped).
     */
    public byte[] responsesCreate(String conversation, String userText, String agent) {
        return post("/responses", "{\"conversation\":\"" + conversation + "\",\"input\":[{\"content\":[{\"text\":\""
                + userText + "\",\"type\":\"input_text\"}],\"role\":\"user\",\"type\":\"message\"}],"
                + "\"agent\":{\"type\":\"agent_reference\",\"name\":\"" + agent + "\"}}");
    }

    /**
     * {@code client.conversations().create(...)} with messages ({@code EasyInputMessage}s: content and role,
     * alternating user and assistant from user), or none. The texts are JSON-safe.
     */
    public byte[] conversationsCreate(String... messages) {
        if (messages.length == 0) {
            return post("/conversations", "{}");
        }
        StringBuilder body = new StringBuilder("{\"items\":[");
        for (int i = 0; i < messages.length; i++) {
            body.append(i == 0 ? "" : ",").append("{\"content\":\"").append(messages[i]).append("\",\"role\":\"")
                    .append(i % 2 == 0 ? "user" : "assistant").append("\"}");
        }
        return post("/conversations", body.append("]}").toString());
    }

    private byte[] post(String operation, String json) {
        byte[] body = json.getBytes(StandardCharsets.UTF_8);
        byte[] line = ("POST " + path + operation + "?api-version=" + API_VERSION + " HTTP/1.1\r\n")
                .getBytes(StandardCharsets.ISO_8859_1);
        byte[] tail = ("Content-Length: " + body.length + "\r\nHost: " + host
                + "\r\nConnection: Keep-Alive\r\nAccept-Encoding: gzip\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1);
        byte[] request = new byte[line.length + headers.length + tail.length + body.length];
        System.arraycopy(line, 0, request, 0, line.length);
        System.arraycopy(headers, 0, request, line.length, headers.length);
        System.arraycopy(tail, 0, request, line.length + headers.length, tail.length);
        System.arraycopy(body, 0, request, line.length + headers.length + tail.length, body.length);
        return request;
    }

    /** openai-java's name of the processor architecture. */
    private static String arch() {
        String arch = System.getProperty("os.arch", "").toLowerCase(Locale.ROOT);
        return switch (arch) {
            case "x86_64", "amd64" -> "x64";
            case "aarch64", "arm64" -> "arm64";
            case "x86", "i386", "i486", "i586", "i686" -> "x32";
            default -> "other:" + arch;
        };
    }

    /** openai-java's name of the operating system. */
    private static String os() {
        String os = System.getProperty("os.name", "");
        String lower = os.toLowerCase(Locale.ROOT);
        if (lower.startsWith("linux")) {
            return "Linux";
        }
        if (lower.startsWith("mac")) {
            return "MacOS";
        }
        if (lower.startsWith("windows")) {
            return "Windows";
        }
        return "Other:" + os;
    }
}
