package dev.continuity.topology;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.continuity.Secrets;
import dev.continuity.definition.internal.Json;
import dev.continuity.definition.internal.Pointers;
import dev.continuity.definition.internal.Problems;
import dev.continuity.definition.internal.SecretScan;
import dev.continuity.io.ContainedRoot;
import dev.continuity.io.Utf8Text;
import dev.continuity.json.ExactJson;
import dev.continuity.json.JsonRefusal;
import dev.continuity.topology.internal.EnvSubstitution;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads a topology file. String values may reference environment variables as {@code ${NAME}} or
 * {@code ${NAME:-default}} (the default applies when the variable is unset or empty; an unset
 * variable without default is an error naming the file, the field and the variable). A topology holds
 * no secrets: fields named like credentials ({@code key}, {@code secret}, {@code password},
 * {@code connectionString}, {@code *_key}, {@code *token}, ...) and values that carry one (a
 * connection string with {@code AccountKey=}, a SAS {@code sig=}, {@code user:password@} in a URL) are
 * refused, and so is a query parameter that carries one ({@code ?api-key=}, {@code ?code=}, {@code ?sig=},
 * see {@link dev.continuity.Secrets}); no problem quotes a secret. Every endpoint Continuity would send a
 * credential to (a project endpoint, a search {@code endpoint}, a blob {@code account_url}) must pass
 * {@link CredentialEndpointRule}: {@code https://}, or {@code http://} to a host whose every address is
 * loopback. Every problem is reported at once. The format is in {@code agents/topology.schema.json}.
 */
public final class TopologyLoader {

    private static final Logger LOG = LoggerFactory.getLogger(TopologyLoader.class);
    private static final Pattern REGION_NAME = Pattern.compile("[a-z0-9][a-z0-9-]{0,62}");
    private static final Set<String> ROOT_FIELDS = ordered("$schema", "description", "regions");
    private static final Set<String> REGION_FIELDS = ordered("role", "project_endpoint", "models", "knowledge",
            "connections", "memory_stores");
    private static final Set<String> MEMORY_STORE_FIELDS = ordered("name", "chat_model", "embedding_model", "options",
            "description");
    private static final Set<String> MEMORY_OPTION_FIELDS = ordered("user_profile_enabled", "chat_summary_enabled",
            "user_profile_details");
    private static final Set<String> MODEL_FIELDS = ordered("deployment", "model", "version");
    private static final Set<String> VECTOR_STORE_FIELDS = ordered("type", "vector_store_ids", "source");
    private static final Set<String> BLOB_SOURCE_FIELDS = ordered("account_url", "container", "prefix");
    private static final Set<String> SEARCH_FIELDS = ordered("type", "index_name", "connection", "endpoint",
            "api_key_env");

    private final Function<String, String> environment;
    private final CredentialEndpointRule credentialRule;

    /** Reads environment variables from the process environment. */
    public TopologyLoader() {
        this(System::getenv);
    }

    /**
     * @param environment variable lookup returning null for an unset variable (tests pass a map's
     *     {@code get})
     */
    public TopologyLoader(Function<String, String> environment) {
        this(environment, CredentialEndpointRule.system());
    }

    /**
     * @param environment variable lookup returning null for an unset variable
     * @param credentialRule decides which endpoints may receive a credential (tests pass one with their own
     *     resolver)
     */
    public TopologyLoader(Function<String, String> environment, CredentialEndpointRule credentialRule) {
        this.environment = Objects.requireNonNull(environment, "environment");
        this.credentialRule = Objects.requireNonNull(credentialRule, "credentialRule");
    }

    /**
     * Reads and validates a topology file.
     *
     * @throws TopologyException carrying every problem, when there is any
     */
    public Topology load(Path file) {
        Problems problems = new Problems(file);
        Topology topology = read(file, problems);
        if (problems.count() > 0) {
            throw new TopologyException(problems.list());
        }
        LOG.debug("read topology {}: regions {}", file, topology.regions().keySet());
        return topology;
    }

    private Topology read(Path file, Problems problems) {
        String text;
        try {
            text = Utf8Text.decode(Files.readAllBytes(file));
        } catch (Utf8Text.NotUtf8Exception e) {
            problems.add("", e.getMessage());
            return null;
        } catch (NoSuchFileException e) {
            problems.add("", "topology file does not exist");
            return null;
        } catch (IOException e) {
            problems.add("", "cannot read topology file: " + e);
            return null;
        }
        JsonNode root;
        try {
            root = Json.MAPPER.readTree(text);
        } catch (JsonProcessingException e) {
            Optional<JsonRefusal> refused = ExactJson.refusal(e);
            if (refused.isPresent()) {
                problems.add(refused.get().pointer(), refused.get().reason());
                return null;
            }
            JsonLocation at = e.getLocation();
            problems.add("", "invalid JSON" + (at == null ? "" : " at line " + at.getLineNr() + ", column "
                    + at.getColumnNr()) + ": " + e.getOriginalMessage());
            return null;
        }
        if (root == null || !root.isObject()) {
            problems.add("", "a topology must be a JSON object");
            return null;
        }
        new EnvSubstitution(environment, problems).apply(root, "");
        scanSecrets((ObjectNode) root, problems);
        problems.unknownFields((ObjectNode) root, "", ROOT_FIELDS, Map.of(), "a topology");
        JsonNode regionsNode = root.get("regions");
        Map<String, Region> regions = new LinkedHashMap<>();
        if (regionsNode == null || !regionsNode.isObject() || regionsNode.isEmpty()) {
            problems.add("/regions", "'regions' must be an object with at least one region, keyed by region name");
            return null;
        }
        List<String> primaries = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = regionsNode.fields(); it.hasNext();) {
            Map.Entry<String, JsonNode> e = it.next();
            Region region = region(e.getKey(), e.getValue(), problems);
            if (region != null) {
                regions.put(region.name(), region);
                if (region.role() == RegionRole.PRIMARY) {
                    primaries.add(region.name());
                }
            }
        }
        if (primaries.isEmpty() && regions.size() == regionsNode.size()) {
            problems.add("/regions", "no region has role 'primary'; exactly one must");
        } else if (primaries.size() > 1) {
            for (String extra : primaries.subList(1, primaries.size())) {
                problems.add(Pointers.child(Pointers.child("/regions", extra), "role"), "region '" + extra
                        + "' is also 'primary' (as is '" + primaries.get(0) + "'); exactly one region is primary");
            }
        }
        return new Topology(file, regions);
    }

    private static void scanSecrets(ObjectNode root, Problems problems) {
        SecretScan scan = new SecretScan(problems);
        for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext();) {
            Map.Entry<String, JsonNode> e = it.next();
            if (!e.getKey().equals("regions")) {
                ObjectNode single = Json.MAPPER.createObjectNode();
                single.set(e.getKey(), e.getValue());
                scan.fields(single, "");
            }
        }
        JsonNode regions = root.path("regions");
        for (Iterator<Map.Entry<String, JsonNode>> it = regions.fields(); it.hasNext();) {
            Map.Entry<String, JsonNode> r = it.next();
            String at = Pointers.child("/regions", r.getKey());
            if (!r.getValue().isObject()) {
                continue;
            }
            for (Iterator<Map.Entry<String, JsonNode>> f = r.getValue().fields(); f.hasNext();) {
                Map.Entry<String, JsonNode> field = f.next();
                String fieldAt = Pointers.child(at, field.getKey());
                boolean map = Set.of("models", "knowledge", "connections", "memory_stores").contains(field.getKey());
                if (!map) {
                    ObjectNode single = Json.MAPPER.createObjectNode();
                    single.set(field.getKey(), field.getValue());
                    scan.fields(single, at);
                    continue;
                }
                // a map of logical names: the keys are names, the values are bindings
                for (Iterator<Map.Entry<String, JsonNode>> b = field.getValue().fields(); b.hasNext();) {
                    Map.Entry<String, JsonNode> binding = b.next();
                    String bindingAt = Pointers.child(fieldAt, binding.getKey());
                    if (binding.getValue().isObject()) {
                        scan.fields(binding.getValue(), bindingAt);
                    } else {
                        scan.values(binding.getValue(), bindingAt);
                    }
                }
            }
        }
    }

    private Region region(String name, JsonNode node, Problems problems) {
        String at = Pointers.child("/regions", name);
        if (!REGION_NAME.matcher(name).matches()) {
            problems.add(at, "region name '" + name + "' is invalid: lower-case letters, digits and hyphens"
                    + " (e.g. eastus2)");
        }
        if (!node.isObject()) {
            problems.add(at, "a region must be an object, not " + Problems.kind(node));
            return null;
        }
        ObjectNode r = (ObjectNode) node;
        problems.unknownFields(r, at, REGION_FIELDS, Map.of(), "a region");
        RegionRole role = null;
        String roleText = problems.requiredString(r, "role", at);
        if (roleText != null) {
            try {
                role = RegionRole.valueOf(roleText.toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                problems.add(Pointers.child(at, "role"), "role '" + roleText + "' is invalid: 'primary' or 'secondary'");
            }
        }
        String endpoint = problems.requiredString(r, "project_endpoint", at);
        if (endpoint != null) {
            endpoint = endpoint(endpoint, Pointers.child(at, "project_endpoint"), name, problems);
        }
        Map<String, ModelBinding> models = new LinkedHashMap<>();
        forEachBinding(r, "models", at, problems, (logical, value, bAt) -> {
            ModelBinding m = model(value, bAt, problems);
            if (m != null) {
                models.put(logical, m);
            }
        });
        Map<String, KnowledgeBinding> knowledge = new LinkedHashMap<>();
        forEachBinding(r, "knowledge", at, problems, (logical, value, bAt) -> {
            // a knowledge source's name also names its folder (e.g. agents/knowledge/<name>)
            Optional<String> unsafe = ContainedRoot.nameProblem(logical);
            if (unsafe.isPresent()) {
                problems.add(bAt, "knowledge source name '" + logical + "' " + unsafe.get()
                        + " (it also names a folder: use one plain"
                    + " folder name, e.g. employee-handbook)");
                return;
            }
            KnowledgeBinding k = knowledge(value, bAt, name, problems);
            if (k != null) {
                knowledge.put(logical, k);
            }
        });
        Map<String, ConnectionBinding> connections = new LinkedHashMap<>();
        forEachBinding(r, "connections", at, problems, (logical, value, bAt) -> {
            ConnectionBinding c = connection(value, bAt, problems);
            if (c != null) {
                connections.put(logical, c);
            }
        });
        Map<String, MemoryStoreBinding> memoryStores = new LinkedHashMap<>();
        forEachBinding(r, "memory_stores", at, problems, (logical, value, bAt) -> {
            MemoryStoreBinding m = memoryStore(value, bAt, problems);
            if (m != null) {
                memoryStores.put(logical, m);
            }
        });
        if (role == null || endpoint == null) {
            return null;
        }
        return new Region(name, role, endpoint, models, knowledge, connections, memoryStores);
    }

    private String endpoint(String value, String at, String region, Problems problems) {
        try {
            URI uri = new URI(value);
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            if (!scheme.equals("https") && !scheme.equals("http") || uri.getHost() == null) {
                problems.add(at, "project endpoint of region '" + region + "' must be an http(s) URL with a host"
                        + " (https://<resource>.services.ai.azure.com/api/projects/<project>), not '"
                        + Secrets.redact(value) + "'");
                return null;
            }
            if (!credentialAllowed(value, at, "project endpoint of region '" + region + "'", problems)) {
                return null;
            }
            String normalized = value;
            while (normalized.endsWith("/")) {
                normalized = normalized.substring(0, normalized.length() - 1);
            }
            return normalized;
        } catch (URISyntaxException e) {
            // the exception's message quotes the whole input, which may carry a secret
            problems.add(at, "project endpoint of region '" + region + "' is not a URL: " + e.getReason()
                    + (e.getIndex() >= 0 ? " at index " + e.getIndex() : ""));
            return null;
        }
    }

    /** Reports and returns false when {@link CredentialEndpointRule} refuses {@code url}. */
    private boolean credentialAllowed(String url, String at, String what, Problems problems) {
        return credentialRule.refusal(url).map(reason -> {
            problems.add(at, what + " " + Secrets.redact(url) + " cannot receive a credential: " + reason);
            return false;
        }).orElse(true);
    }

    private interface BindingVisitor {
        void visit(String logicalName, JsonNode value, String pointer);
    }

    private static void forEachBinding(ObjectNode region, String field, String regionAt, Problems problems,
            BindingVisitor visitor) {
        JsonNode map = region.get(field);
        if (map == null || map.isNull()) {
            return;
        }
        String at = Pointers.child(regionAt, field);
        if (!map.isObject()) {
            problems.add(at, "'" + field + "' must be an object keyed by logical name, not " + Problems.kind(map));
            return;
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = map.fields(); it.hasNext();) {
            Map.Entry<String, JsonNode> e = it.next();
            String bAt = Pointers.child(at, e.getKey());
            String logical = problems.logicalName(com.fasterxml.jackson.databind.node.TextNode.valueOf(e.getKey()),
                    bAt, "logical name");
            if (logical != null) {
                visitor.visit(logical, e.getValue(), bAt);
            }
        }
    }

    private static ModelBinding model(JsonNode value, String at, Problems problems) {
        if (value.isTextual()) {
            return value.textValue().isBlank() ? blank(at, "deployment name", problems)
                    : new ModelBinding(value.textValue(), null, null);
        }
        if (!value.isObject()) {
            problems.add(at, "a model binding is a deployment name or an object {deployment, model, version}, not "
                    + Problems.kind(value));
            return null;
        }
        ObjectNode o = (ObjectNode) value;
        problems.unknownFields(o, at, MODEL_FIELDS, Map.of(), "a model binding");
        String deployment = problems.requiredString(o, "deployment", at);
        String model = problems.optionalString(o, "model", at);
        String version = problems.optionalString(o, "version", at);
        return deployment == null ? null : new ModelBinding(deployment, model, version);
    }

    private KnowledgeBinding knowledge(JsonNode value, String at, String region, Problems problems) {
        if (!value.isObject()) {
            problems.add(at, "a knowledge binding must be an object with a 'type', not " + Problems.kind(value));
            return null;
        }
        ObjectNode o = (ObjectNode) value;
        String type = problems.requiredString(o, "type", at);
        if (type == null) {
            return null;
        }
        switch (type) {
            case VectorStoreKnowledge.TYPE: {
                problems.unknownFields(o, at, VECTOR_STORE_FIELDS, Map.of(), "a vector_store binding");
                List<String> ids = new ArrayList<>();
                JsonNode idsNode = o.get("vector_store_ids");
                if (idsNode != null) {
                    if (!idsNode.isArray()) {
                        problems.add(Pointers.child(at, "vector_store_ids"), "'vector_store_ids' must be an array of"
                                + " strings");
                    } else {
                        for (int i = 0; i < idsNode.size(); i++) {
                            JsonNode id = idsNode.get(i);
                            if (!id.isTextual() || id.textValue().isBlank()) {
                                problems.add(Pointers.index(Pointers.child(at, "vector_store_ids"), i),
                                        "a vector store id must be a non-empty string");
                            } else {
                                ids.add(id.textValue());
                            }
                        }
                    }
                }
                BlobSource source = null;
                ObjectNode s = problems.optionalObject(o, "source", at);
                if (s != null) {
                    String sAt = Pointers.child(at, "source");
                    problems.unknownFields(s, sAt, BLOB_SOURCE_FIELDS, Map.of(), "a blob source");
                    String container = problems.requiredString(s, "container", sAt);
                    String prefix = problems.optionalString(s, "prefix", sAt);
                    Optional<String> badPrefix = BlobSource.prefixProblem(prefix);
                    if (badPrefix.isPresent()) {
                        problems.add(Pointers.child(sAt, "prefix"), "prefix '" + prefix + "' " + badPrefix.get());
                        prefix = null;
                        container = null;
                    }
                    String account = problems.optionalString(s, "account_url", sAt);
                    if (account != null) {
                        credentialAllowed(account, Pointers.child(sAt, "account_url"), "blob account_url of region '"
                                + region + "'", problems);
                    }
                    source = container == null ? null : new BlobSource(account, container, prefix);
                }
                if (idsNode == null && s == null) {
                    problems.add(at, "a vector_store binding needs 'vector_store_ids' (and/or a 'source' to build them"
                            + " from)");
                }
                return new VectorStoreKnowledge(ids, source, o);
            }
            case SearchIndexKnowledge.TYPE: {
                problems.unknownFields(o, at, SEARCH_FIELDS, Map.of(), "an azure_ai_search binding");
                String index = problems.requiredString(o, "index_name", at);
                String connection = problems.requiredString(o, "connection", at);
                String endpoint = problems.optionalString(o, "endpoint", at);
                if (endpoint != null) {
                    credentialAllowed(endpoint, Pointers.child(at, "endpoint"), "search endpoint of region '" + region
                            + "'", problems);
                }
                return index == null || connection == null ? null
                        : new SearchIndexKnowledge(index, connection, endpoint, o);
            }
            default:
                return new OtherKnowledge(type, o);
        }
    }

    private static ConnectionBinding connection(JsonNode value, String at, Problems problems) {
        if (value.isTextual()) {
            return value.textValue().isBlank() ? blank(at, "connection", problems)
                    : new ConnectionBinding(value.textValue(), null);
        }
        if (!value.isObject()) {
            problems.add(at, "a connection binding is a project connection name/id or an object with 'id', not "
                    + Problems.kind(value));
            return null;
        }
        String id = problems.requiredString((ObjectNode) value, "id", at);
        return id == null ? null : new ConnectionBinding(id, (ObjectNode) value);
    }

    /**
     * {@code {"name","chat_model","embedding_model","options","description"}}: the region's store name and the
     * definition it is created with (the spec's {@code MemoryStoreDefaultDefinition}).
     */
    private static MemoryStoreBinding memoryStore(JsonNode value, String at, Problems problems) {
        if (!value.isObject()) {
            problems.add(at, "a memory store binding is an object with 'name', 'chat_model' and 'embedding_model', not "
                    + Problems.kind(value));
            return null;
        }
        ObjectNode m = (ObjectNode) value;
        problems.unknownFields(m, at, MEMORY_STORE_FIELDS, Map.of("memory_store_name", "the store's name is 'name'",
                "kind", "'kind' is always \"default\" and added by Continuity; remove it"), "a memory store binding");
        String name = problems.requiredString(m, "name", at);
        if (name != null && (name.isBlank() || name.length() > 256 || name.contains("/"))) {
            problems.add(Pointers.child(at, "name"), "memory store name '" + name
                    + "' is invalid: 1 to 256 characters without '/'");
            name = null;
        }
        String chat = problems.requiredString(m, "chat_model", at);
        String embedding = problems.requiredString(m, "embedding_model", at);
        String description = problems.optionalString(m, "description", at);
        if (description != null && description.length() > 512) {
            problems.add(Pointers.child(at, "description"), "description has " + description.length()
                    + " characters; the service allows at most 512");
        }
        ObjectNode options = problems.optionalObject(m, "options", at);
        if (options != null) {
            String optionsAt = Pointers.child(at, "options");
            problems.unknownFields(options, optionsAt, MEMORY_OPTION_FIELDS, Map.of(), "memory store options");
            for (String flag : List.of("user_profile_enabled", "chat_summary_enabled")) {
                JsonNode f = options.get(flag);
                if (f == null || !f.isBoolean()) {
                    problems.add(Pointers.child(optionsAt, flag), "'" + flag + "' must be true or false"
                            + (f == null ? " (the service requires both flags when 'options' is given)" : ""));
                }
            }
            problems.optionalString(options, "user_profile_details", optionsAt);
        }
        return name == null || chat == null || embedding == null ? null
                : new MemoryStoreBinding(name, chat, embedding, options, description);
    }

    private static <T> T blank(String at, String what, Problems problems) {
        problems.add(at, what + " must not be empty");
        return null;
    }

    private static Set<String> ordered(String... names) {
        return new LinkedHashSet<>(List.of(names));
    }
}
