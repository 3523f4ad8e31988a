package dev.continuity.conformance;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.LoaderOptions;

/**
 * One API specification document as published (Swagger 2.0 or OpenAPI 3.x), read unmodified, with what the
 * suite needs from it: its operations, {@code $ref} resolution and, for Swagger 2.0, the translation of its
 * polymorphism convention (a base definition with {@code "discriminator": "type"} and subtypes that
 * {@code allOf} the base and name their value in {@code x-ms-discriminator-value}) into a lookup table.
 */
final class SpecDocument {

    /** The two dialects the official documents are written in. */
    enum Dialect { SWAGGER_2, OPENAPI_3 }

    private final String fileName;
    private final Dialect dialect;
    private final JsonNode root;
    /** Swagger 2.0: base definition ref -> discriminator value -> subtype ref. */
    private final Map<String, Map<String, String>> subtypes = new HashMap<>();

    private SpecDocument(String fileName, JsonNode root) {
        this.fileName = fileName;
        this.root = root;
        this.dialect = root.has("swagger") ? Dialect.SWAGGER_2 : Dialect.OPENAPI_3;
        if (dialect == Dialect.SWAGGER_2) {
            indexSubtypes();
        }
    }

    /** A document already parsed (tests build small ones). */
    static SpecDocument of(String fileName, JsonNode root) {
        return new SpecDocument(fileName, root);
    }

    /** Reads a JSON or YAML document. */
    static SpecDocument read(Path file) {
        try {
            ObjectMapper mapper;
            String name = file.getFileName().toString();
            if (name.endsWith(".yaml") || name.endsWith(".yml")) {
                LoaderOptions options = new LoaderOptions();
                options.setCodePointLimit(64 * 1024 * 1024); // the OpenAI document is ~3 MB, above snakeyaml's default
                mapper = new ObjectMapper(YAMLFactory.builder().loaderOptions(options).build());
            } else {
                mapper = new ObjectMapper();
            }
            return new SpecDocument(name, mapper.readTree(Files.newInputStream(file)));
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read the specification " + file + ": " + e.getMessage(), e);
        }
    }

    String fileName() {
        return fileName;
    }

    Dialect dialect() {
        return dialect;
    }

    JsonNode root() {
        return root;
    }

    /** The schema a local {@code $ref} ({@code #/definitions/X}, {@code #/components/schemas/X}) points at. */
    JsonNode resolve(String ref) {
        if (!ref.startsWith("#")) {
            throw new IllegalArgumentException(fileName + ": only local $ref values are supported, got " + ref);
        }
        JsonNode target = root.at(ref.substring(1));
        if (target.isMissingNode()) {
            throw new IllegalArgumentException(fileName + ": $ref " + ref + " points at nothing");
        }
        return target;
    }

    /** Swagger 2.0 only: the subtype ref for a discriminator value of a base definition, or null. */
    String subtype(String baseRef, String value) {
        Map<String, String> byValue = subtypes.get(baseRef);
        return byValue == null ? null : byValue.get(value);
    }

    /** Swagger 2.0 only: the discriminator values a base definition has subtypes for. */
    Map<String, String> subtypesOf(String baseRef) {
        return subtypes.getOrDefault(baseRef, Map.of());
    }

    private void indexSubtypes() {
        JsonNode definitions = root.path("definitions");
        for (Iterator<Map.Entry<String, JsonNode>> it = definitions.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> definition = it.next();
            JsonNode value = definition.getValue().get("x-ms-discriminator-value");
            if (value == null) {
                continue;
            }
            for (JsonNode part : definition.getValue().path("allOf")) {
                if (part.has("$ref")) {
                    subtypes.computeIfAbsent(part.get("$ref").asText(), k -> new HashMap<>())
                            .put(value.asText(), "#/definitions/" + escape(definition.getKey()));
                }
            }
        }
    }

    private static String escape(String name) {
        return name.replace("~", "~0").replace("/", "~1");
    }

    /** Every operation of the document (paths with a query part, e.g. {@code ?beta=true}, are overloads: left out). */
    List<SpecOperation> operations() {
        List<SpecOperation> operations = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> paths = root.path("paths").fields(); paths.hasNext(); ) {
            Map.Entry<String, JsonNode> path = paths.next();
            if (path.getKey().contains("?")) {
                continue;
            }
            for (Iterator<Map.Entry<String, JsonNode>> methods = path.getValue().fields(); methods.hasNext(); ) {
                Map.Entry<String, JsonNode> method = methods.next();
                if (!List.of("get", "post", "put", "patch", "delete").contains(method.getKey())) {
                    continue;
                }
                operations.add(operation(path.getKey(), path.getValue(), method.getKey().toUpperCase(), method.getValue()));
            }
        }
        return operations;
    }

    private SpecOperation operation(String path, JsonNode pathItem, String method, JsonNode op) {
        List<JsonNode> parameters = new ArrayList<>();
        for (JsonNode p : pathItem.path("parameters")) {
            parameters.add(deref(p));
        }
        for (JsonNode p : op.path("parameters")) {
            parameters.add(deref(p));
        }
        JsonNode requestSchema = null;
        String requestContentType = null;
        Map<String, JsonNode> responses = new LinkedHashMap<>();
        if (dialect == Dialect.SWAGGER_2) {
            for (JsonNode p : parameters) {
                if ("body".equals(p.path("in").asText())) {
                    requestSchema = p.get("schema");
                    requestContentType = "application/json";
                }
                if ("formData".equals(p.path("in").asText())) {
                    requestContentType = "multipart/form-data";
                }
            }
            for (Iterator<Map.Entry<String, JsonNode>> it = op.path("responses").fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> r = it.next();
                JsonNode response = deref(r.getValue());
                responses.put(r.getKey(), response.has("schema") ? response.get("schema") : JsonNodeFactory.instance.nullNode());
            }
        } else {
            JsonNode body = deref(op.path("requestBody"));
            if (body.has("content")) {
                if (body.path("content").has("application/json")) {
                    requestContentType = "application/json";
                    requestSchema = body.path("content").path("application/json").get("schema");
                } else {
                    requestContentType = body.path("content").fieldNames().next();
                }
            }
            for (Iterator<Map.Entry<String, JsonNode>> it = op.path("responses").fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> r = it.next();
                JsonNode response = deref(r.getValue());
                JsonNode schema = response.path("content").path("application/json").get("schema");
                responses.put(r.getKey(), schema != null ? schema : JsonNodeFactory.instance.nullNode());
            }
        }
        return new SpecOperation(this, path, method, op.path("operationId").asText(method + " " + path),
                parameters, requestSchema, requestContentType, responses);
    }

    private JsonNode deref(JsonNode node) {
        return node.has("$ref") ? resolve(node.get("$ref").asText()) : node;
    }

    /** The schema an error body of an operation that documents no schema for its status is held to. */
    JsonNode generalErrorSchema() {
        String ref = dialect == Dialect.SWAGGER_2 ? "#/definitions/ApiErrorResponse" : "#/components/schemas/ErrorResponse";
        return JsonNodeFactory.instance.objectNode().put("$ref", ref);
    }

    @Override
    public String toString() {
        return fileName;
    }
}
