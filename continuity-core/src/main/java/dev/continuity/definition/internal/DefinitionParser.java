package dev.continuity.definition.internal;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.continuity.definition.AgentDefinition;
import dev.continuity.definition.AzureAiSearchTool;
import dev.continuity.definition.CodeInterpreterTool;
import dev.continuity.definition.DefinitionLimits;
import dev.continuity.definition.FileSearchTool;
import dev.continuity.definition.FunctionTool;
import dev.continuity.definition.McpTool;
import dev.continuity.definition.MemorySearchTool;
import dev.continuity.definition.OpenApiTool;
import dev.continuity.definition.SamplingOptions;
import dev.continuity.definition.ToolSpec;
import dev.continuity.definition.UnknownTool;
import dev.continuity.io.ContainedRoot;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Turns one parsed definition file into an {@link AgentDefinition}, recording every problem. Not part
 * of the public API: the rules are documented in {@code docs/agent-definitions.md}.
 */
public final class DefinitionParser {

    private static final Set<String> TOP_LEVEL = orderedSet("$schema", "name", "version", "model", "instructions",
            "description", "temperature", "top_p", "max_output_tokens", "tools", "metadata", "extra");
    private static final Map<String, String> TOP_LEVEL_HINTS = Map.of(
            "kind", "'kind' is always \"prompt\" and added by the deployer; remove it",
            "definition", "write the definition's fields (model, instructions, tools, ...) at the top level,"
                    + " not under 'definition'",
            "topP", "unknown field 'topP'; the field is 'top_p'",
            "maxOutputTokens", "unknown field 'maxOutputTokens'; the field is 'max_output_tokens'",
            "tool_resources", "'tool_resources' belongs to the classic (v1) API; name knowledge sources in the"
                    + " tools ('knowledge_sources' of file_search) and bind them in the topology");
    /** Definition fields the renderer writes itself; {@code extra} may not set them. */
    private static final Set<String> RENDERED_FIELDS = Set.of("kind", "model", "instructions", "tools",
            "temperature", "top_p");

    /** Fields the renderer writes for each tool type; a tool's 'extra' may not set them. */
    private static final Map<String, Set<String>> RENDERED_TOOL_FIELDS = Map.of(
            "function", Set.of("type", "name", "description", "parameters", "strict"),
            "file_search", Set.of("type", "vector_store_ids", "max_num_results", "ranking_options", "filters"),
            "azure_ai_search", Set.of("type", "azure_ai_search"),
            "openapi", Set.of("type", "openapi"),
            "mcp", Set.of("type", "server_label", "server_url", "project_connection_id", "allowed_tools",
                    "require_approval", "headers"),
            "code_interpreter", Set.of("type", "container"),
            "memory_search", Set.of("type", "memory_store_name", "scope", "search_options", "update_delay"));
    /** A header value that starts with an HTTP authentication scheme carries a credential whatever its name. */
    private static final Pattern AUTH_SCHEME_VALUE = Pattern.compile(
            "(?i)^\\s*(bearer|basic|digest|sharedaccesssignature|sharedkey|apikey)\\s+\\S");
    private static final String REGIONAL_HINT = " is a regional resource id; definitions name logical resources"
            + " only: ";
    private static final String CONNECTION_HINT = "name a logical connection in 'connection' and bind it per region"
            + " in the topology's 'connections'";

    private final Problems problems;
    private final String text;

    /**
     * @param file the file being parsed
     * @param text its full text (used to keep unknown tools byte for byte)
     */
    public DefinitionParser(Path file, String text) {
        this.problems = new Problems(file);
        this.text = text;
    }

    /** The problems found so far. */
    public Problems problems() {
        return problems;
    }

    /** Parses the root object; returns the definition, or null when the file has any problem. */
    public AgentDefinition parse(ObjectNode root) {
        problems.unknownFields(root, "", TOP_LEVEL, TOP_LEVEL_HINTS, "an agent definition");
        String name = agentName(root);
        String model = problems.logicalName(root.get("model"), "/model", "'model' (the logical model deployment name)");
        String instructions = problems.optionalString(root, "instructions", "");
        String tooLong = DefinitionLimits.tooLong("instructions", instructions, DefinitionLimits.INSTRUCTIONS_MAX);
        if (tooLong != null) {
            problems.add("/instructions", tooLong);
        }
        String description = problems.optionalString(root, "description", "");
        tooLong = DefinitionLimits.tooLong("description", description, DefinitionLimits.DESCRIPTION_MAX);
        if (tooLong != null) {
            problems.add("/description", tooLong);
        }
        SamplingOptions sampling = sampling(root);
        Map<String, String> metadata = metadata(root);
        String version = version(root, name);
        List<ToolSpec> tools = tools(root);
        ObjectNode extra = problems.optionalObject(root, "extra", "");
        if (extra != null) {
            for (Iterator<String> it = extra.fieldNames(); it.hasNext();) {
                String field = it.next();
                if (RENDERED_FIELDS.contains(field)) {
                    problems.add(Pointers.child("/extra", field), "'" + field + "' is written by the deployer from the"
                            + " definition's own fields; set it there, not in 'extra'");
                }
            }
        }
        if (problems.count() > 0) {
            return null;
        }
        return new AgentDefinition(name, version, model, instructions, description, tools, sampling, metadata,
                extra, problems.file());
    }

    private String agentName(ObjectNode root) {
        String name = problems.requiredString(root, "name", "");
        if (name == null) {
            return null;
        }
        if (name.length() > DefinitionLimits.AGENT_NAME_MAX) {
            problems.add("/name", "agent name '" + name + "' is " + name.length() + " characters long; at most "
                    + DefinitionLimits.AGENT_NAME_MAX + " are allowed");
            return null;
        }
        if (!DefinitionLimits.AGENT_NAME.matcher(name).matches()) {
            problems.add("/name", "agent name '" + name + "' is invalid: use letters, digits and hyphens, starting"
                    + " and ending with a letter or digit");
            return null;
        }
        return name;
    }

    private SamplingOptions sampling(ObjectNode root) {
        Double temperature = number(root, "temperature", BigDecimal.ZERO, BigDecimal.valueOf(2));
        Double topP = number(root, "top_p", BigDecimal.ZERO, BigDecimal.ONE);
        Integer maxOutputTokens = null;
        JsonNode max = root.get("max_output_tokens");
        if (max != null && !max.isNull()) {
            if (!max.isIntegralNumber() || !max.canConvertToInt() || max.intValue() < 1) {
                problems.add("/max_output_tokens", "'max_output_tokens' must be a whole number of at least 1, not "
                        + max);
            } else {
                maxOutputTokens = max.intValue();
            }
        }
        return temperature == null && topP == null && maxOutputTokens == null ? SamplingOptions.NONE
                : new SamplingOptions(temperature, topP, maxOutputTokens);
    }

    private Double number(ObjectNode root, String field, BigDecimal min, BigDecimal max) {
        JsonNode value = root.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isNumber()) {
            problems.add("/" + field, "'" + field + "' must be a number, not " + Problems.kind(value));
            return null;
        }
        BigDecimal v = value.decimalValue();
        if (v.compareTo(min) < 0 || v.compareTo(max) > 0) {
            problems.add("/" + field, "'" + field + "' is " + value + "; it must be between " + min + " and " + max);
            return null;
        }
        double d = v.doubleValue();
        if (BigDecimal.valueOf(d).compareTo(v) != 0) {
            // the service keeps sampling options as doubles: say so rather than round silently
            problems.add("/" + field, "'" + field + "' is " + value + ", which a double (as the service stores it)"
                    + " cannot hold exactly: it would be sent as " + d + "; write " + d + " or a shorter number");
            return null;
        }
        return d;
    }

    private Map<String, String> metadata(ObjectNode root) {
        ObjectNode metadata = problems.optionalObject(root, "metadata", "");
        Map<String, String> out = new LinkedHashMap<>();
        if (metadata == null) {
            return out;
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = metadata.fields(); it.hasNext();) {
            Map.Entry<String, JsonNode> e = it.next();
            String key = e.getKey();
            String at = Pointers.child("/metadata", key);
            if (key.isEmpty()) {
                problems.add(at, "metadata key must not be empty");
                continue;
            }
            if (key.length() > DefinitionLimits.METADATA_KEY_MAX) {
                problems.add(at, "metadata key '" + key + "' is " + key.length() + " characters long; at most "
                        + DefinitionLimits.METADATA_KEY_MAX + " are allowed");
                continue;
            }
            if (key.startsWith(DefinitionLimits.RESERVED_METADATA_PREFIX)) {
                problems.add(at, "metadata key '" + key + "' uses the prefix '"
                        + DefinitionLimits.RESERVED_METADATA_PREFIX + "', reserved for keys the deployer writes");
                continue;
            }
            if (!e.getValue().isTextual()) {
                problems.add(at, "metadata value of '" + key + "' must be a string, not " + Problems.kind(e.getValue()));
                continue;
            }
            String value = e.getValue().textValue();
            if (value.length() > DefinitionLimits.METADATA_VALUE_MAX) {
                problems.add(at, "metadata value of '" + key + "' is " + value.length() + " characters long; at most "
                        + DefinitionLimits.METADATA_VALUE_MAX + " are allowed");
                continue;
            }
            out.put(key, value);
        }
        if (metadata.size() > DefinitionLimits.USER_METADATA_MAX_PAIRS) {
            problems.add("/metadata", "metadata has " + metadata.size() + " pairs; the deployer adds "
                    + DefinitionLimits.DEPLOYER_METADATA_KEYS.size() + " more ("
                    + String.join(", ", DefinitionLimits.DEPLOYER_METADATA_KEYS) + "), which makes "
                    + (metadata.size() + DefinitionLimits.DEPLOYER_METADATA_KEYS.size())
                    + ", over the service limit of " + DefinitionLimits.METADATA_MAX_PAIRS + " (at most "
                    + DefinitionLimits.USER_METADATA_MAX_PAIRS + " of your own)");
        }
        return out;
    }

    /** The version: "version", else metadata "version", else the file name when in a folder named after the agent. */
    private String version(ObjectNode root, String name) {
        JsonNode explicit = root.get("version");
        JsonNode fromMetadata = root.path("metadata").get("version");
        if (explicit != null && !explicit.isNull()) {
            String v = versionLabel(explicit, "/version");
            if (v != null && fromMetadata != null && fromMetadata.isTextual() && !fromMetadata.textValue().equals(v)) {
                problems.add("/version", "'version' is '" + v + "' but metadata 'version' is '"
                        + fromMetadata.textValue() + "'; make them equal or drop one");
                return null;
            }
            return v;
        }
        if (fromMetadata != null && fromMetadata.isTextual()) {
            return versionLabel(fromMetadata, "/metadata/version");
        }
        Path file = problems.file();
        Path parent = file.getParent();
        String fileName = file.getFileName().toString();
        String stem = fileName.substring(0, fileName.length() - ".json".length());
        if (name != null && parent != null && parent.getFileName() != null
                && parent.getFileName().toString().equals(name)) {
            if (DefinitionLimits.VERSION.matcher(stem).matches()) {
                return stem;
            }
            problems.add("/version", "no 'version' field and the file name '" + stem + "' is not a valid version"
                    + " label (a letter or digit, then letters, digits, '.', '_', '+', '-'; 64 characters max)");
            return null;
        }
        problems.add("/version", "missing 'version': set \"version\" (or metadata \"version\"), or store the file as "
                + (name == null ? "<name>" : name) + "/<version>.json");
        return null;
    }

    private String versionLabel(JsonNode value, String pointer) {
        if (!value.isTextual()) {
            problems.add(pointer, "version must be a string, not " + Problems.kind(value));
            return null;
        }
        String v = value.textValue();
        if (!DefinitionLimits.VERSION.matcher(v).matches()) {
            problems.add(pointer, "version '" + v + "' is invalid: a letter or digit, then letters, digits, '.', '_',"
                    + " '+', '-'; 64 characters max");
            return null;
        }
        return v;
    }

    private List<ToolSpec> tools(ObjectNode root) {
        JsonNode tools = root.get("tools");
        List<ToolSpec> out = new ArrayList<>();
        if (tools == null || tools.isNull()) {
            return out;
        }
        if (!tools.isArray()) {
            problems.add("/tools", "'tools' must be an array, not " + Problems.kind(tools));
            return out;
        }
        if (tools.size() > DefinitionLimits.TOOLS_MAX) {
            problems.add("/tools", "agent has " + tools.size() + " tools; the service allows at most "
                    + DefinitionLimits.TOOLS_MAX);
        }
        List<String> raw = null;
        Map<String, Integer> functionNames = new HashMap<>();
        for (int i = 0; i < tools.size(); i++) {
            String at = Pointers.index("/tools", i);
            JsonNode tool = tools.get(i);
            if (!tool.isObject()) {
                problems.add(at, "a tool must be an object, not " + Problems.kind(tool));
                continue;
            }
            ObjectNode t = (ObjectNode) tool;
            JsonNode typeNode = t.get("type");
            if (typeNode == null || !typeNode.isTextual() || typeNode.textValue().isBlank()) {
                problems.add(Pointers.child(at, "type"), typeNode == null ? "missing required field 'type'"
                        : "'type' must be a non-empty string");
                continue;
            }
            String type = typeNode.textValue();
            ToolSpec spec;
            switch (type) {
                case "function" -> spec = function(t, at, functionNames, i);
                case "file_search" -> spec = fileSearch(t, at);
                case "azure_ai_search" -> spec = azureAiSearch(t, at);
                case "openapi" -> spec = openApi(t, at);
                case "mcp" -> spec = mcp(t, at);
                case "code_interpreter" -> spec = codeInterpreter(t, at);
                case "memory_search" -> spec = memorySearch(t, at);
                default -> {
                    if (raw == null) {
                        raw = rawToolSlices();
                    }
                    spec = new UnknownTool(type, raw.get(i));
                }
            }
            if (spec != null && !(spec instanceof UnknownTool)) {
                extraConflicts(t, at, type);
            }
            scanToolSecrets(t, at);
            if (spec != null) {
                out.add(spec);
            }
        }
        return out;
    }

    private FunctionTool function(ObjectNode t, String at, Map<String, Integer> seen, int index) {
        problems.unknownFields(t, at, orderedSet("type", "name", "description", "parameters", "strict", "extra"),
                Map.of(), "a function tool");
        String name = problems.requiredString(t, "name", at);
        if (name != null) {
            if (!DefinitionLimits.FUNCTION_NAME.matcher(name).matches()) {
                problems.add(Pointers.child(at, "name"), "function name '" + name + "' is invalid: 1 to 64 letters,"
                        + " digits, '_' or '-'");
            } else {
                Integer first = seen.putIfAbsent(name, index);
                if (first != null) {
                    problems.add(Pointers.child(at, "name"), "duplicate function tool name '" + name
                            + "' (also at /tools/" + first + ")");
                }
            }
        }
        String description = problems.optionalString(t, "description", at);
        ObjectNode parameters = problems.optionalObject(t, "parameters", at);
        Boolean strict = null;
        JsonNode s = t.get("strict");
        if (s != null && !s.isNull()) {
            if (s.isBoolean()) {
                strict = s.booleanValue();
            } else {
                problems.add(Pointers.child(at, "strict"), "'strict' must be true or false, not " + Problems.kind(s));
            }
        }
        ObjectNode extra = problems.optionalObject(t, "extra", at);
        return name == null ? null : new FunctionTool(name, description, parameters, strict, extra);
    }

    private FileSearchTool fileSearch(ObjectNode t, String at) {
        problems.unknownFields(t, at, orderedSet("type", "knowledge_sources", "max_num_results", "ranking_options",
                "filters", "extra"), Map.of("vector_store_ids", "'vector_store_ids'" + REGIONAL_HINT
                        + "name logical knowledge sources in 'knowledge_sources' and bind them per region in the"
                        + " topology's 'knowledge'"), "a file_search tool");
        List<String> sources = new ArrayList<>();
        JsonNode ks = t.get("knowledge_sources");
        String ksAt = Pointers.child(at, "knowledge_sources");
        if (ks != null && !ks.isNull()) {
            if (!ks.isArray() || ks.isEmpty()) {
                problems.add(ksAt, "'knowledge_sources' must be a non-empty array of logical knowledge source names"
                        + " (omit it to use the '" + DefinitionLimits.DEFAULT_KNOWLEDGE_SOURCE + "' source)");
            } else {
                for (int j = 0; j < ks.size(); j++) {
                    String source = knowledgeName(problems.logicalName(ks.get(j), Pointers.index(ksAt, j),
                            "knowledge source name"), Pointers.index(ksAt, j), "knowledge source name");
                    if (source != null && sources.contains(source)) {
                        problems.add(Pointers.index(ksAt, j), "knowledge source '" + source + "' is named twice");
                    } else if (source != null) {
                        sources.add(source);
                    }
                }
            }
        }
        JsonNode max = t.get("max_num_results");
        if (max != null && (!max.isIntegralNumber() || !max.canConvertToInt() || max.intValue() < 1
                || max.intValue() > 50)) {
            problems.add(Pointers.child(at, "max_num_results"), "'max_num_results' must be a whole number from 1 to 50");
        }
        return new FileSearchTool(sources, options(t, "max_num_results", "ranking_options", "filters"),
                problems.optionalObject(t, "extra", at));
    }

    /**
     * A logical knowledge name (a file_search source, an azure_ai_search index) is also a key of the
     * topology's {@code knowledge} and may name a folder ({@code agents/knowledge/<name>}): it must be one
     * plain folder name ({@link ContainedRoot#nameProblem}). Returns it, or null (problem recorded).
     */
    private String knowledgeName(String name, String pointer, String what) {
        if (name == null) {
            return null;
        }
        Optional<String> unsafe = ContainedRoot.nameProblem(name);
        if (unsafe.isPresent()) {
            problems.add(pointer, what + " '" + name + "' " + unsafe.get() + " (it also names a folder: use one plain"
                    + " folder name, e.g. employee-handbook)");
            return null;
        }
        return name;
    }

    private AzureAiSearchTool azureAiSearch(ObjectNode t, String at) {
        String hint = REGIONAL_HINT + "name a logical index in 'index' and bind it per region in the topology's"
                + " 'knowledge' (type azure_ai_search)";
        problems.unknownFields(t, at, orderedSet("type", "index", "query_type", "top_k", "filter", "extra"),
                Map.of("azure_ai_search", "'azure_ai_search' (the service's nested form)" + hint,
                        "indexes", "'indexes' (the service's nested form)" + hint,
                        "index_name", "'index_name'" + hint,
                        "project_connection_id", "'project_connection_id'" + hint),
                "an azure_ai_search tool");
        String index = knowledgeName(problems.logicalName(t.get("index"), Pointers.child(at, "index"),
                "'index' (the logical index name)"), Pointers.child(at, "index"), "logical index name");
        problems.optionalString(t, "query_type", at);
        problems.optionalString(t, "filter", at);
        JsonNode topK = t.get("top_k");
        if (topK != null && (!topK.isIntegralNumber() || !topK.canConvertToInt() || topK.intValue() < 1)) {
            problems.add(Pointers.child(at, "top_k"), "'top_k' must be a whole number of at least 1");
        }
        ObjectNode extra = problems.optionalObject(t, "extra", at);
        return index == null ? null : new AzureAiSearchTool(index, options(t, "query_type", "top_k", "filter"), extra);
    }

    private OpenApiTool openApi(ObjectNode t, String at) {
        problems.unknownFields(t, at, orderedSet("type", "name", "description", "spec", "connection", "auth",
                "default_params", "extra"), Map.of(
                        "openapi", "write the openapi tool's fields (name, description, spec, connection) at the tool's"
                                + " top level, not under 'openapi'",
                        "project_connection_id", "'project_connection_id'" + REGIONAL_HINT + CONNECTION_HINT),
                "an openapi tool");
        String name = problems.requiredString(t, "name", at);
        String description = problems.optionalString(t, "description", at);
        JsonNode spec = t.get("spec");
        if (spec == null || spec.isNull()) {
            problems.add(Pointers.child(at, "spec"), "missing required field 'spec' (the OpenAPI document as JSON)");
        } else if (!spec.isObject()) {
            problems.add(Pointers.child(at, "spec"), "'spec' must be the OpenAPI document as a JSON object, not "
                    + Problems.kind(spec));
            spec = null;
        }
        String connection = null;
        if (t.has("connection")) {
            connection = problems.logicalName(t.get("connection"), Pointers.child(at, "connection"),
                    "'connection' (the logical connection name)");
            if (t.has("auth")) {
                problems.add(Pointers.child(at, "auth"), "'auth' and 'connection' exclude each other: a connection"
                        + " authenticates as a project connection");
            }
        }
        ObjectNode auth = problems.optionalObject(t, "auth", at);
        if (auth != null && auth.path("security_scheme").has("project_connection_id")) {
            problems.add(Pointers.child(Pointers.child(at, "auth"), "security_scheme"),
                    "'project_connection_id'" + REGIONAL_HINT + CONNECTION_HINT);
        }
        ObjectNode extra = problems.optionalObject(t, "extra", at);
        return name == null || spec == null ? null
                : new OpenApiTool(name, description, spec, connection, options(t, "auth", "default_params"), extra);
    }

    private McpTool mcp(ObjectNode t, String at) {
        problems.unknownFields(t, at, orderedSet("type", "server_label", "server_url", "connection", "allowed_tools",
                "require_approval", "headers", "extra"), Map.of(
                        "project_connection_id", "'project_connection_id'" + REGIONAL_HINT + CONNECTION_HINT),
                "an mcp tool");
        String label = problems.requiredString(t, "server_label", at);
        String url = problems.optionalString(t, "server_url", at);
        String connection = t.has("connection") ? problems.logicalName(t.get("connection"),
                Pointers.child(at, "connection"), "'connection' (the logical connection name)") : null;
        if (url == null && connection == null && t.get("server_url") == null) {
            problems.add(Pointers.child(at, "server_url"), "an mcp tool needs 'server_url' or a 'connection' that"
                    + " supplies it");
        }
        ObjectNode headers = problems.optionalObject(t, "headers", at);
        if (headers != null) {
            for (Iterator<String> it = headers.fieldNames(); it.hasNext();) {
                String header = it.next();
                String headerAt = Pointers.child(Pointers.child(at, "headers"), header);
                JsonNode value = headers.get(header);
                if (SecretScan.isSecretHeaderName(header)) {
                    problems.addRootCause(headerAt, "header '" + header
                            + "' carries a credential; credentials never go in a definition: " + CONNECTION_HINT);
                } else if (value.isTextual() && AUTH_SCHEME_VALUE.matcher(value.textValue()).find()) {
                    problems.addRootCause(headerAt, "header '" + header + "' carries a credential (its value starts"
                            + " with an authentication scheme); credentials never go in a definition: "
                            + CONNECTION_HINT);
                } else {
                    new SecretScan(problems, "agent definitions").values(value, headerAt);
                }
            }
        }
        ObjectNode extra = problems.optionalObject(t, "extra", at);
        return label == null ? null
                : new McpTool(label, url, connection, options(t, "allowed_tools", "require_approval", "headers"), extra);
    }

    private CodeInterpreterTool codeInterpreter(ObjectNode t, String at) {
        problems.unknownFields(t, at, orderedSet("type", "container", "extra"), Map.of(), "a code_interpreter tool");
        return new CodeInterpreterTool(options(t, "container"), problems.optionalObject(t, "extra", at));
    }

    private MemorySearchTool memorySearch(ObjectNode t, String at) {
        problems.unknownFields(t, at, orderedSet("type", "memory_store", "scope", "search_options", "update_delay",
                "extra"), Map.of("memory_store_name", "'memory_store_name'" + REGIONAL_HINT + "name a logical memory"
                        + " store in 'memory_store' and bind it per region in the topology's 'memory_stores'"),
                "a memory_search tool");
        String store = problems.logicalName(t.get("memory_store"), Pointers.child(at, "memory_store"),
                "'memory_store' (the logical memory store name)");
        String scope = problems.requiredString(t, "scope", at);
        if (scope != null && scope.isBlank()) {
            problems.add(Pointers.child(at, "scope"), "'scope' must not be empty (a fixed namespace such as"
                    + " \"support\", or " + MemorySearchTool.USER_ID_SCOPE + " for the signed-in user)");
            scope = null;
        }
        ObjectNode searchOptions = problems.optionalObject(t, "search_options", at);
        if (searchOptions != null) {
            String soAt = Pointers.child(at, "search_options");
            problems.unknownFields(searchOptions, soAt, orderedSet("max_memories"), Map.of(), "memory search options");
            JsonNode max = searchOptions.get("max_memories");
            if (max != null && (!max.isIntegralNumber() || !max.canConvertToInt() || max.intValue() < 1)) {
                problems.add(Pointers.child(soAt, "max_memories"), "'max_memories' must be a whole number of at least 1");
            }
        }
        JsonNode delay = t.get("update_delay");
        if (delay != null && (!delay.isIntegralNumber() || !delay.canConvertToInt() || delay.intValue() < 0)) {
            problems.add(Pointers.child(at, "update_delay"), "'update_delay' must be a whole number of seconds, 0 or"
                    + " more (the service's default is 300)");
        }
        ObjectNode extra = problems.optionalObject(t, "extra", at);
        return store == null || scope == null ? null
                : new MemorySearchTool(store, scope, options(t, "search_options", "update_delay"), extra);
    }

    private void extraConflicts(ObjectNode tool, String at, String type) {
        JsonNode extra = tool.get("extra");
        if (extra == null || !extra.isObject()) {
            return;
        }
        for (Iterator<String> it = extra.fieldNames(); it.hasNext();) {
            String field = it.next();
            if (RENDERED_TOOL_FIELDS.getOrDefault(type, Set.of()).contains(field)) {
                problems.add(Pointers.child(Pointers.child(at, "extra"), field), "'" + field + "' is written by the"
                        + " deployer for a " + type + " tool; 'extra' may only add fields it does not write");
            }
        }
    }

    /**
     * Refuses credentials anywhere in a tool with the topology's rule ({@link SecretScan}): credential-named
     * fields at any depth (in arrays too) and values that carry one ({@code server_url} with
     * {@code user:password@} or {@code ?api-key=}). The OpenAPI document ({@code spec}) and a function's
     * {@code parameters} schema describe an API rather than hold values, and MCP {@code headers} are checked
     * by the MCP tool, so they are not scanned here.
     */
    private void scanToolSecrets(ObjectNode tool, String at) {
        ObjectNode scanned = tool.deepCopy();
        scanned.remove(List.of("type", "spec", "parameters", "headers"));
        new SecretScan(problems, "agent definitions").fields(scanned, at);
    }

    private static ObjectNode options(ObjectNode tool, String... names) {
        ObjectNode out = Json.MAPPER.createObjectNode();
        for (String name : names) {
            JsonNode value = tool.get(name);
            if (value != null) {
                out.set(name, value); // every tool record constructor deep-copies its options
            }
        }
        return out;
    }

    /** The exact text of each element of the root's "tools" array, in order. */
    private List<String> rawToolSlices() {
        List<String> out = new ArrayList<>();
        try (JsonParser p = Json.MAPPER.getFactory().createParser(text)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                return out;
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                JsonToken value = p.nextToken();
                if ("tools".equals(field) && value == JsonToken.START_ARRAY) {
                    while (p.nextToken() != JsonToken.END_ARRAY) {
                        int start = (int) p.currentTokenLocation().getCharOffset();
                        p.skipChildren();
                        int end = (int) p.currentLocation().getCharOffset();
                        out.add(text.substring(start, end));
                    }
                    return out;
                }
                p.skipChildren();
            }
            return out;
        } catch (IOException e) {
            throw new IllegalStateException("re-reading a file that parsed before failed: " + problems.file(), e);
        }
    }

    private static Set<String> orderedSet(String... names) {
        return new LinkedHashSet<>(List.of(names));
    }
}
