package dev.continuity.conformance;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Drives one emulator region over raw HTTP ({@link HttpClient}, no SDK) and records, per check id, whether the
 * emulator's answers conform to the spec documents. A check id is {@code <target id> <check>}, e.g.
 * {@code preview createConversation response 200} or
 * {@code preview createConversation refuses $.items = 12345}.
 */
final class Conformance {

    static final ObjectMapper JSON = new ObjectMapper();

    /** One answer. */
    record Reply(int status, String contentType, String text, JsonNode json) {
    }

    /** Thrown when a flow reaches an operation the emulator does not serve: the rest of that flow is not run. */
    static final class NotServed extends RuntimeException {
        private static final long serialVersionUID = 1L;

        NotServed(Target target) {
            super(target.id() + " (" + target.wire() + ") is not served", null, false, false);
        }
    }

    /** Outcome of one check: its failures (empty = passed). */
    static final class Check {
        final List<String> failures = new ArrayList<>();
        int exchanges;
    }

    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private final String endpoint;
    private final Map<String, Target> targets;
    private final Map<String, SchemaValidator> validators = new LinkedHashMap<>();
    private final Map<String, Boolean> served = new TreeMap<>();
    private final Map<String, Check> checks = new TreeMap<>();
    /** Target ids a flow exercised with a valid request (not only probed). */
    private final Map<String, Integer> driven = new TreeMap<>();

    /** Which pass this is: {@code true} sends the refusals and records only their checks. */
    private final boolean refusalPass;
    private final SpecDocument openai;

    /**
     * @param endpoint the region's project endpoint
     * @param targets the spec operations and where the emulator answers them
     * @param openai the OpenAI document (the Foundry documents' {@code OpenAI.*} definitions fall back to it)
     * @param refusalPass false: valid calls, every answer checked, no refusals sent; true: the same flows again on a
     *     fresh emulator, sending the requests the spec refuses and recording only those checks (a lenient emulator
     *     stores what it should have refused, which would otherwise spoil the first pass's answers)
     */
    Conformance(String endpoint, List<Target> targets, SpecDocument openai, boolean refusalPass) {
        this.openai = openai;
        this.endpoint = endpoint;
        this.refusalPass = refusalPass;
        this.targets = new LinkedHashMap<>();
        for (Target target : targets) {
            if (this.targets.put(target.id(), target) != null) {
                throw new IllegalStateException("two targets with id " + target.id());
            }
        }
    }

    Map<String, Target> targets() {
        return targets;
    }

    Map<String, Check> checks() {
        return checks;
    }

    Map<String, Boolean> served() {
        return served;
    }

    /** Takes another run's probe results and adds its checks (the refusal pass after the answer pass). */
    void continueFrom(Conformance first) {
        served.putAll(first.served);
        checks.putAll(first.checks);
        driven.putAll(first.driven);
    }

    Map<String, Integer> driven() {
        return driven;
    }

    /** Starts a call of a target, e.g. {@code call("preview", "createConversation")}. */
    Call call(String route, String operationId) {
        Target target = targets.get(route + " " + operationId);
        if (target == null) {
            throw new IllegalArgumentException("No operation " + operationId + " in the " + route + " route family");
        }
        return new Call(target);
    }

    /**
     * Probes every target once (placeholder ids, {@code {}} as a POST body) to learn whether the emulator routes
     * it: a 405, or a 404 whose message says the path is unknown, means not served. The probe's answer is held to
     * the spec like any other.
     */
    void probeAll() {
        if (refusalPass) {
            throw new IllegalStateException("the refusal pass takes the first pass's probe results");
        }
        for (Target target : targets.values()) {
            String path = target.prefix() + target.operation().path().replaceAll("\\{[^}]+}", "conformance-probe");
            Reply reply = exchange(target.operation().method(), withQuery(path, target.apiVersion(), Map.of()),
                    target.operation().method().equals("POST") ? "{}" : null, "application/json");
            boolean routed = !(reply.status == 405 || (reply.status == 404 && reply.json != null
                    && reply.json.path("error").path("message").asText().startsWith("Unknown ")));
            served.put(target.id(), routed);
            if (routed) {
                checkResponse(target, reply);
            }
        }
    }

    /** A call under construction. */
    final class Call {
        private final Target target;
        private final Map<String, String> pathParams = new LinkedHashMap<>();
        private final Map<String, String> query = new LinkedHashMap<>();
        private JsonNode body;
        private byte[] rawBody;
        private String contentType = "application/json";
        private boolean refusals;
        private int expectStatus = 200;
        private String unchecked;

        Call(Target target) {
            this.target = target;
        }

        Call path(String name, String value) {
            pathParams.put(name, value);
            return this;
        }

        Call query(String name, String value) {
            query.put(name, value);
            return this;
        }

        Call body(String json) {
            try {
                this.body = JSON.readTree(json);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return this;
        }

        Call raw(String contentType, byte[] bytes) {
            this.contentType = contentType;
            this.rawBody = bytes;
            return this;
        }

        /** Also send requests the spec refuses (mutations of this call's body and query) and expect a 400. */
        Call refusals() {
            this.refusals = true;
            return this;
        }

        /**
         * A setup call whose answer the spec document cannot describe ({@code why} says which gap): sent and held to
         * its status like any call, but its request and answer are not recorded as checks (later calls that read
         * what it wrote are).
         */
        Call unchecked(String why) {
            this.unchecked = java.util.Objects.requireNonNull(why, "why");
            return this;
        }

        /** The status this (valid) call is expected to get; default 200. */
        Call expect(int status) {
            this.expectStatus = status;
            return this;
        }

        /** Sends the valid call, checks it, then the refusals; returns the parsed body. */
        JsonNode send() {
            String path = target.prefix() + target.operation().path();
            for (Map.Entry<String, String> p : pathParams.entrySet()) {
                path = path.replace("{" + p.getKey() + "}", URLEncoder.encode(p.getValue(), StandardCharsets.UTF_8));
            }
            if (path.contains("{")) {
                throw new IllegalArgumentException(target.id() + ": unfilled path parameter in " + path);
            }
            SpecOperation op = target.operation();
            if (body != null && op.requestSchema() != null && !refusalPass && unchecked == null) {
                List<String> own = validator(op).validate(body, op.requestSchema(), SchemaValidator.Direction.REQUEST);
                record(target.id() + " request valid", own.isEmpty() ? null
                        : "the suite's own request body is not valid for the spec: " + own);
            }
            if (!served.getOrDefault(target.id(), false)) {
                throw new NotServed(target); // after the request check: the suite's requests are checked before they are sent
            }
            Reply reply = rawBody != null
                    ? exchange(op.method(), withQuery(path, target.apiVersion(), query), rawBody, contentType)
                    : exchange(op.method(), withQuery(path, target.apiVersion(), query),
                            body == null ? null : body.toString(), contentType);
            if (!refusalPass && unchecked == null) {
                checkResponse(target, reply);
                if (expectStatus / 100 == 2) {
                    driven.merge(target.id(), 1, Integer::sum);
                }
                record(target.id() + " answers " + expectStatus, reply.status == expectStatus ? null
                        : "expected " + expectStatus + ", got " + reply.status + ": " + abbreviate(reply.text));
            }
            if (refusals && refusalPass) {
                refuse(path);
            }
            if (reply.status != expectStatus) {
                throw new AssertionError(target.id() + " answered " + reply.status + " to a valid request: "
                        + abbreviate(reply.text));
            }
            return reply.json;
        }

        /**
         * Sends the valid call as a streamed one (a create with {@code "stream": true}, a retrieve with
         * {@code stream=true}) and checks its {@code text/event-stream} answer: the framing ({@code event: TYPE},
         * {@code data: JSON}, the name equal to the data's {@code type}, {@code sequence_number} consecutive) and
         * each event's data against its schema in the OpenAI document ({@code ResponseStreamEvent}'s variant for
         * its type; the Foundry documents define no stream events). Returns the events' data.
         */
        List<JsonNode> stream() {
            String path = target.prefix() + target.operation().path();
            for (Map.Entry<String, String> p : pathParams.entrySet()) {
                path = path.replace("{" + p.getKey() + "}", URLEncoder.encode(p.getValue(), StandardCharsets.UTF_8));
            }
            SpecOperation op = target.operation();
            if (body != null && op.requestSchema() != null && !refusalPass) {
                List<String> own = validator(op).validate(body, op.requestSchema(), SchemaValidator.Direction.REQUEST);
                record(target.id() + " request valid", own.isEmpty() ? null
                        : "the suite's own request body is not valid for the spec: " + own);
            }
            if (!served.getOrDefault(target.id(), false)) {
                throw new NotServed(target);
            }
            Reply reply = exchange(op.method(), withQuery(path, target.apiVersion(), query),
                    body == null ? null : body.toString(), contentType);
            if (reply.status != 200 || reply.contentType == null || !reply.contentType.startsWith("text/event-stream")) {
                throw new AssertionError(target.id() + " answered " + reply.status + " (" + reply.contentType
                        + ") to a valid streamed request: " + abbreviate(reply.text));
            }
            List<JsonNode> events = new ArrayList<>();
            List<String> framing = new ArrayList<>();
            String text = reply.text;
            if (!text.endsWith("\n\n")) {
                framing.add("the stream does not end with a blank line");
            }
            long expected = -1;
            for (String frame : text.strip().split("\n\n")) {
                String[] lines = frame.split("\n");
                if (lines.length != 2 || !lines[0].startsWith("event: ") || !lines[1].startsWith("data: ")) {
                    framing.add("not an 'event: TYPE' / 'data: JSON' frame: " + abbreviate(frame));
                    continue;
                }
                JsonNode data;
                try {
                    data = JSON.readTree(lines[1].substring(6));
                } catch (IOException e) {
                    framing.add("data is not JSON: " + abbreviate(lines[1]));
                    continue;
                }
                String type = data.path("type").asText();
                if (!lines[0].substring(7).equals(type)) {
                    framing.add("event name " + lines[0].substring(7) + " differs from the data's type " + type);
                }
                long sequence = data.path("sequence_number").asLong(-1);
                if (expected >= 0 && sequence != expected) {
                    framing.add(type + " has sequence_number " + sequence + ", expected " + expected);
                }
                expected = sequence + 1;
                events.add(data);
                if (!refusalPass) {
                    JsonNode schema = streamEventSchema(type);
                    List<String> errors = schema == null ? List.of("the OpenAI document defines no stream event " + type)
                            : openaiValidator().validate(data, schema, SchemaValidator.Direction.RESPONSE);
                    record(target.id() + " stream event " + type, errors.isEmpty() ? null : String.join("; ", errors));
                }
            }
            if (!refusalPass) {
                driven.merge(target.id(), 1, Integer::sum);
                record(target.id() + " stream framing", framing.isEmpty() ? null : String.join("; ", framing));
            }
            return events;
        }

        private void refuse(String path) {
            SpecOperation op = target.operation();
            JsonNode apiVersion = op.queryParameter("api-version");
            if (target.apiVersion() != null && apiVersion != null && apiVersion.path("required").asBoolean(false)) {
                expectRefused("without api-version", path, null, query, rawOrBody());
            }
            JsonNode order = op.queryParameter("order");
            if (order != null && (order.has("enum") || order.path("schema").has("enum") || order.path("schema").has("$ref"))) {
                Map<String, String> bad = new LinkedHashMap<>(query);
                bad.put("order", "sideways");
                expectRefused("query order=sideways", path, target.apiVersion(), bad, rawOrBody());
            }
            if (body == null || op.requestSchema() == null) {
                return;
            }
            SchemaValidator validator = validator(op);
            for (Map.Entry<String, JsonNode> mutation : mutations(body).entrySet()) {
                if (validator.validate(mutation.getValue(), op.requestSchema(), SchemaValidator.Direction.REQUEST).isEmpty()) {
                    continue; // the spec accepts this one too: not a refusal check
                }
                expectRefused(mutation.getKey(), path, target.apiVersion(), query, mutation.getValue().toString());
            }
        }

        private Object rawOrBody() {
            return rawBody != null ? rawBody : body == null ? null : body.toString();
        }

        private void expectRefused(String what, String path, String apiVersion, Map<String, String> query, Object payload) {
            Reply reply = payload instanceof byte[] bytes
                    ? exchange(target.operation().method(), withQuery(path, apiVersion, query), bytes, contentType)
                    : exchange(target.operation().method(), withQuery(path, apiVersion, query), (String) payload, contentType);
            if (reply.status >= 400) {
                checkResponse(target, reply);
            }
            record(target.id() + " refuses " + what, reply.status == 400 || reply.status == 422 ? null
                    : "the spec refuses this request; the emulator answered " + reply.status + ": " + abbreviate(reply.text));
        }
    }

    /**
     * Requests derived from a valid body by one change each: a field removed, a value replaced by one of another
     * type, a string replaced by a value outside any enum, an unknown field added (top level). Which of them the
     * spec refuses is decided by the validator, not here.
     */
    static Map<String, JsonNode> mutations(JsonNode body) {
        Map<String, JsonNode> out = new LinkedHashMap<>();
        collect(body, body, "$", out, 0);
        ObjectNode unknown = ((ObjectNode) body.deepCopy()).put("conformance_unknown_parameter", true);
        out.put("unknown field $.conformance_unknown_parameter", unknown);
        return out;
    }

    private static void collect(JsonNode root, JsonNode node, String path, Map<String, JsonNode> out, int depth) {
        if (depth > 4) {
            return;
        }
        if (node.isObject()) {
            for (Iterator<String> names = node.fieldNames(); names.hasNext(); ) {
                String name = names.next();
                String child = path + "." + name;
                out.put("missing " + child, edit(root, path, n -> ((ObjectNode) n).remove(name)));
                JsonNode value = node.get(name);
                JsonNode wrong = value.isTextual() ? JsonNodeFactory.instance.numberNode(12345)
                        : JsonNodeFactory.instance.textNode("conformance-wrong-type");
                out.put(child + " = " + wrong, edit(root, path, n -> ((ObjectNode) n).set(name, wrong)));
                if (value.isTextual()) {
                    out.put(child + " = \"conformance-not-a-value\"",
                            edit(root, path, n -> ((ObjectNode) n).put(name, "conformance-not-a-value")));
                }
                collect(root, value, child, out, depth + 1);
            }
        } else if (node.isArray() && node.size() > 0) {
            collect(root, node.get(0), path + "[0]", out, depth + 1);
        }
    }

    private static JsonNode edit(JsonNode root, String path, java.util.function.Consumer<JsonNode> change) {
        JsonNode copy = root.deepCopy();
        JsonNode target = copy;
        for (String step : path.substring(1).split("(?=[.\\[])")) {
            if (step.isEmpty()) {
                continue;
            }
            target = step.startsWith("[") ? target.get(Integer.parseInt(step.substring(1, step.length() - 1)))
                    : target.get(step.substring(1));
        }
        change.accept(target);
        return copy;
    }

    private void checkResponse(Target target, Reply reply) {
        SpecOperation op = target.operation();
        String id = target.id() + " response " + reply.status;
        JsonNode schema = op.responseSchema(reply.status);
        boolean json = reply.contentType != null && reply.contentType.startsWith("application/json");
        if (schema == null && reply.status >= 400) {
            // the operation documents no error for this status: held to the document's general error shape
            schema = op.document().generalErrorSchema();
        }
        if (schema == null) {
            record(id, "status " + reply.status + " is not documented for this operation (documented: "
                    + op.responses().keySet() + ")");
            return;
        }
        if (schema.isNull()) {
            record(id, reply.text.isEmpty() ? null : "the spec documents no body, got " + abbreviate(reply.text));
            return;
        }
        if (!json || reply.json == null) {
            boolean stringSchema = "string".equals(schema.path("type").asText());
            record(id, stringSchema ? null : "expected a JSON body, got " + reply.contentType + ": " + abbreviate(reply.text));
            return;
        }
        List<String> errors = validator(op).validate(reply.json, schema, SchemaValidator.Direction.RESPONSE);
        record(id, errors.isEmpty() ? null : String.join("; ", errors));
    }

    /** The OpenAI document's schema of a stream event type ({@code ResponseStreamEvent}'s variant), or null. */
    private JsonNode streamEventSchema(String type) {
        for (JsonNode variant : openai.resolve("#/components/schemas/ResponseStreamEvent").path("anyOf")) {
            String ref = variant.path("$ref").asText();
            JsonNode schema = openai.resolve(ref);
            for (JsonNode value : schema.path("properties").path("type").path("enum")) {
                if (type.equals(value.asText())) {
                    return variant;
                }
            }
        }
        return null;
    }

    private SchemaValidator openaiValidator() {
        return validators.computeIfAbsent(openai.fileName(), k -> new SchemaValidator(openai, null));
    }

    private SchemaValidator validator(SpecOperation op) {
        return validators.computeIfAbsent(op.document().fileName(), k -> new SchemaValidator(op.document(),
                op.document().dialect() == SpecDocument.Dialect.SWAGGER_2 ? new SchemaValidator(openai, null) : null));
    }

    private void record(String checkId, String failure) {
        Check check = checks.computeIfAbsent(checkId, k -> new Check());
        check.exchanges++;
        if (failure != null && check.failures.size() < 3) {
            check.failures.add(failure);
        }
    }

    private String withQuery(String path, String apiVersion, Map<String, String> query) {
        StringBuilder url = new StringBuilder(endpoint).append(path);
        char sep = '?';
        if (apiVersion != null) {
            url.append(sep).append("api-version=").append(apiVersion);
            sep = '&';
        }
        for (Map.Entry<String, String> q : query.entrySet()) {
            url.append(sep).append(URLEncoder.encode(q.getKey(), StandardCharsets.UTF_8)).append('=')
                    .append(URLEncoder.encode(q.getValue(), StandardCharsets.UTF_8));
            sep = '&';
        }
        return url.toString();
    }

    private Reply exchange(String method, String url, String body, String contentType) {
        return exchange(method, url, body == null ? null : body.getBytes(StandardCharsets.UTF_8), contentType);
    }

    private Reply exchange(String method, String url, byte[] body, String contentType) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30))
                .header("Authorization", "Bearer conformance");
        if (body != null) {
            request.header("Content-Type", contentType).method(method, HttpRequest.BodyPublishers.ofByteArray(body));
        } else {
            request.method(method, HttpRequest.BodyPublishers.noBody());
        }
        try {
            HttpResponse<String> response = client.send(request.build(), HttpResponse.BodyHandlers.ofString());
            JsonNode json = null;
            try {
                json = response.body().isEmpty() ? null : JSON.readTree(response.body());
            } catch (IOException notJson) {
                // kept as text
            }
            return new Reply(response.statusCode(), response.headers().firstValue("content-type").orElse(null),
                    response.body(), json);
        } catch (IOException e) {
            throw new UncheckedIOException(method + " " + url + " failed: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    static String abbreviate(String text) {
        return text.length() <= 300 ? text : text.substring(0, 300) + "...";
    }

    /** Ids of the items of a list body ({@code data[].id}). */
    static List<String> ids(JsonNode list) {
        List<String> ids = new ArrayList<>();
        if (list != null) {
            for (JsonNode item : list.path("data")) {
                ids.add(item.path("id").asText());
            }
        }
        return ids;
    }

    static ArrayNode array() {
        return JsonNodeFactory.instance.arrayNode();
    }
}
