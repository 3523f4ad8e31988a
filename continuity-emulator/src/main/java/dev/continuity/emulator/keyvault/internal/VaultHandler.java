package dev.continuity.emulator.keyvault.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Routes the Key Vault keys data-plane paths the {@code azure-security-keyvault-keys} clients use:
 * {@code POST /keys/{name}/create}, {@code GET /keys/{name}[/{version}]}, {@code POST
 * /keys/{name}/{version}/wrapkey} and {@code /unwrapkey}. A request without a bearer token gets the service's
 * challenge (401 with {@code WWW-Authenticate: Bearer authorization=.., resource=..}); errors come as
 * {@code {"error":{"code","message"}}} with the service's status (404 KeyNotFound, 403 Forbidden for a disabled
 * key, 400 BadParameter).
 */
public final class VaultHandler implements HttpHandler {

    /** The resource the challenge names (the public cloud's). */
    public static final String RESOURCE = "https://vault.azure.net";
    /** The authority the challenge names. */
    public static final String AUTHORITY = "https://login.microsoftonline.com/00000000-0000-0000-0000-000000000000";

    private static final Logger LOG = LoggerFactory.getLogger(VaultHandler.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern KEY_PATH = Pattern.compile("/keys/([A-Za-z0-9-]{1,127})(?:/([A-Za-z0-9]*))?(?:/([a-z]+))?/?");
    private static final Base64.Encoder B64URL = Base64.getUrlEncoder().withoutPadding();

    private final VaultKeys keys;
    private final Supplier<String> baseUrl;

    /** For a vault's keys, answering with key ids under {@code baseUrl}. */
    public VaultHandler(VaultKeys keys, Supplier<String> baseUrl) {
        this.keys = keys;
        this.baseUrl = baseUrl;
    }

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        exchange.getResponseHeaders().set("x-ms-request-id", UUID.randomUUID().toString());
        String clientRequestId = exchange.getRequestHeaders().getFirst("x-ms-client-request-id");
        if (clientRequestId != null) {
            exchange.getResponseHeaders().set("x-ms-client-request-id", clientRequestId);
        }
        try {
            byte[] body;
            try (InputStream in = exchange.getRequestBody()) {
                body = in.readAllBytes();
            }
            try {
                route(exchange, body);
            } catch (VaultError e) {
                error(exchange, e.status, e.code, e.getMessage());
            } catch (RuntimeException e) {
                LOG.error("key vault emulator failed on {} {}", exchange.getRequestMethod(), exchange.getRequestURI(), e);
                error(exchange, 500, "InternalServerError", "the emulator failed: " + e);
            }
        } finally {
            exchange.close();
        }
    }

    private void route(HttpExchange exchange, byte[] body) throws IOException {
        String authorization = exchange.getRequestHeaders().getFirst("Authorization");
        if (authorization == null || !authorization.startsWith("Bearer ") || authorization.length() <= 7) {
            keys.count("challenge");
            exchange.getResponseHeaders().set("WWW-Authenticate",
                    "Bearer authorization=\"" + AUTHORITY + "\", resource=\"" + RESOURCE + "\"");
            throw new VaultError(401, "Unauthorized", "AKV10000: Request is missing a Bearer or PoP token.");
        }
        String query = exchange.getRequestURI().getQuery();
        if (query == null || !query.matches("(.*&)?api-version=(7\\.[0-9]+|20[0-9]{2}-[0-9]{2}-[0-9]{2})(-preview)?(&.*)?")) {
            throw new VaultError(400, "BadParameter",
                    "The api-version query parameter (?api-version=7.x or yyyy-mm-dd) is required");
        }
        Matcher path = KEY_PATH.matcher(exchange.getRequestURI().getPath());
        if (!path.matches()) {
            throw new VaultError(404, "NotFound", "no such path: " + exchange.getRequestURI().getPath());
        }
        String name = path.group(1);
        String second = path.group(2);
        String operation = path.group(3);
        String method = exchange.getRequestMethod();
        if ("POST".equals(method) && operation == null && "create".equals(second)) {
            create(exchange, name, json(body));
        } else if ("GET".equals(method) && operation == null) {
            keys.count("get");
            send(exchange, 200, bundle(found(name, second, "get")));
        } else if ("POST".equals(method) && ("wrapkey".equals(operation) || "unwrapkey".equals(operation))) {
            crypt(exchange, found(name, second, operation), operation, json(body));
        } else {
            throw new VaultError(405, "MethodNotAllowed", method + " " + exchange.getRequestURI().getPath());
        }
    }

    private void create(HttpExchange exchange, String name, JsonNode request) throws IOException {
        String kty = request.path("kty").asText("");
        if (!kty.equals("RSA") && !kty.equals("RSA-HSM")) {
            throw new VaultError(400, "BadParameter", "kty '" + kty + "' is not served by this emulator (RSA, RSA-HSM)");
        }
        int size = request.path("key_size").asInt(2048);
        if (size != 2048 && size != 3072 && size != 4096) {
            throw new VaultError(400, "BadParameter", "key_size must be 2048, 3072 or 4096");
        }
        List<String> ops = new ArrayList<>();
        request.path("key_ops").forEach(op -> ops.add(op.asText()));
        if (ops.isEmpty()) {
            ops.addAll(List.of("encrypt", "decrypt", "sign", "verify", "wrapKey", "unwrapKey"));
        }
        keys.count("create");
        send(exchange, 200, bundle(keys.create(name, size, ops)));
    }

    private void crypt(HttpExchange exchange, VaultKeys.Version version, String operation, JsonNode request)
            throws IOException {
        String op = "wrapkey".equals(operation) ? "wrapKey" : "unwrapKey";
        if (!version.enabled()) {
            throw new VaultError(403, "Forbidden", "Operation " + op + " is not allowed on a disabled key.");
        }
        if (!version.operations().contains(op)) {
            throw new VaultError(403, "Forbidden", "Operation " + op + " is not permitted on this key.");
        }
        String alg = request.path("alg").asText("");
        if (!VaultKeys.supported(alg)) {
            throw new VaultError(400, "BadParameter", "Invalid algorithm '" + alg + "' for an RSA key");
        }
        byte[] value;
        try {
            value = Base64.getUrlDecoder().decode(request.path("value").asText(""));
        } catch (IllegalArgumentException e) {
            throw new VaultError(400, "BadParameter", "value is not base64url");
        }
        byte[] result;
        try {
            result = "wrapkey".equals(operation) ? keys.wrap(version, alg, value) : keys.unwrap(version, alg, value);
        } catch (GeneralSecurityException e) {
            throw new VaultError(400, "BadParameter", "The parameter is incorrect: " + op + " failed");
        }
        ObjectNode reply = JSON.createObjectNode();
        reply.put("kid", kid(version));
        reply.put("value", B64URL.encodeToString(result));
        send(exchange, 200, reply);
    }

    private VaultKeys.Version found(String name, String version, String operation) {
        VaultKeys.Version found = keys.get(name, version);
        if (found == null) {
            throw new VaultError(404, "KeyNotFound", "A key with (name/id) " + name
                    + (version == null || version.isEmpty() ? "" : "/" + version) + " was not found in this key vault.");
        }
        return found;
    }

    private ObjectNode bundle(VaultKeys.Version version) {
        ObjectNode bundle = JSON.createObjectNode();
        ObjectNode key = bundle.putObject("key");
        key.put("kid", kid(version));
        key.put("kty", "RSA");
        ArrayNode ops = key.putArray("key_ops");
        version.operations().forEach(ops::add);
        key.put("n", B64URL.encodeToString(unsigned(version.modulus())));
        key.put("e", B64URL.encodeToString(unsigned(version.exponent())));
        ObjectNode attributes = bundle.putObject("attributes");
        attributes.put("enabled", version.enabled());
        attributes.put("created", version.created());
        attributes.put("updated", version.created());
        attributes.put("recoveryLevel", "Recoverable+Purgeable");
        attributes.put("recoverableDays", 90);
        return bundle;
    }

    private String kid(VaultKeys.Version version) {
        return baseUrl.get() + "/keys/" + version.name() + "/" + version.version();
    }

    private static byte[] unsigned(BigInteger value) {
        byte[] bytes = value.toByteArray();
        return bytes.length > 1 && bytes[0] == 0 ? java.util.Arrays.copyOfRange(bytes, 1, bytes.length) : bytes;
    }

    private static JsonNode json(byte[] body) {
        try {
            return body.length == 0 ? JSON.createObjectNode() : JSON.readTree(body);
        } catch (IOException e) {
            throw new VaultError(400, "BadParameter", "the body is not JSON");
        }
    }

    private static void error(HttpExchange exchange, int status, String code, String message) throws IOException {
        ObjectNode error = JSON.createObjectNode();
        error.putObject("error").put("code", code).put("message", message);
        send(exchange, status, error);
    }

    private static void send(HttpExchange exchange, int status, JsonNode body) throws IOException {
        byte[] bytes = JSON.writeValueAsString(body).getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json; charset=utf-8");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    private static final class VaultError extends RuntimeException {
        private static final long serialVersionUID = 1L;
        private final int status;
        private final String code;

        VaultError(int status, String code, String message) {
            super(message);
            this.status = status;
            this.code = code;
        }
    }
}
