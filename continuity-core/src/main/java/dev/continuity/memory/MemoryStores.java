package dev.continuity.memory;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.continuity.agentservice.AgentServiceException;
import dev.continuity.definition.AgentDefinition;
import dev.continuity.definition.MemorySearchTool;
import dev.continuity.definition.ToolSpec;
import dev.continuity.topology.MemoryStoreBinding;
import dev.continuity.topology.Region;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The memory stores a region needs for a set of definitions: which ones ({@link #used}), creating the missing
 * ones ({@link #ensure}, idempotent), and how an existing one differs from its binding ({@link #differences},
 * what drift reports). A store Continuity creates carries the metadata
 * {@value #LOGICAL_NAME_METADATA_KEY} = its logical name.
 */
public final class MemoryStores {

    private static final Logger LOG = LoggerFactory.getLogger(MemoryStores.class);

    /** Metadata key naming the logical memory store on a store Continuity created. */
    public static final String LOGICAL_NAME_METADATA_KEY = "continuity-memory-store";

    /**
     * What {@link #ensure} did for one store.
     *
     * @param logicalName the logical memory store name
     * @param name the region's store name
     * @param created true when the store was created now, false when it existed
     * @param differences how an existing store differs from its binding (empty when it matches or was created)
     */
    public record Ensured(String logicalName, String name, boolean created, List<String> differences) {
        /** Copies the list. */
        public Ensured {
            Objects.requireNonNull(logicalName, "logicalName");
            Objects.requireNonNull(name, "name");
            differences = List.copyOf(differences);
        }
    }

    private MemoryStores() {
    }

    /**
     * The {@code memory_search} tools of {@code definitions} whose store {@code region} binds: logical name to
     * binding, in definition order (unbound stores are left out: the binding check reports them).
     */
    public static Map<String, MemoryStoreBinding> used(Collection<AgentDefinition> definitions, Region region) {
        Map<String, MemoryStoreBinding> used = new LinkedHashMap<>();
        for (AgentDefinition d : definitions) {
            for (MemorySearchTool tool : tools(d)) {
                region.memoryStore(tool.memoryStore()).ifPresent(b -> used.putIfAbsent(tool.memoryStore(), b));
            }
        }
        return used;
    }

    /** The {@code memory_search} tools of one definition. */
    public static List<MemorySearchTool> tools(AgentDefinition definition) {
        List<MemorySearchTool> tools = new ArrayList<>();
        for (ToolSpec tool : definition.tools()) {
            if (tool instanceof MemorySearchTool m) {
                tools.add(m);
            }
        }
        return tools;
    }

    /**
     * Creates the region's store for {@code binding} when it does not exist (a concurrent create that wins
     * the race counts as existing). Never changes an existing store: a store's definition is create-only in
     * the service, so a different one is reported, not replaced.
     */
    public static Ensured ensure(String logicalName, MemoryStoreBinding binding, MemoryStoreService service) {
        Optional<MemoryStoreInfo> existing = service.memoryStore(binding.name());
        if (existing.isPresent()) {
            return new Ensured(logicalName, binding.name(), false, differences(binding, existing.get()));
        }
        try {
            service.createMemoryStore(binding.name(), binding.definition(), binding.description(),
                    Map.of(LOGICAL_NAME_METADATA_KEY, logicalName));
            LOG.info("created memory store '{}' (logical '{}') in {}", binding.name(), logicalName, service.region());
            return new Ensured(logicalName, binding.name(), true, List.of());
        } catch (AgentServiceException e) {
            if (e.kind() != AgentServiceException.Kind.CONFLICT) {
                throw e;
            }
            MemoryStoreInfo raced = service.memoryStore(binding.name()).orElseThrow(() -> e);
            return new Ensured(logicalName, binding.name(), false, differences(binding, raced));
        }
    }

    /**
     * How {@code actual} differs from {@code binding}: its chat model, embedding model and each option
     * ({@code user_profile_enabled} and {@code chat_summary_enabled} compared with the service's default
     * {@code true} where either side leaves them out). Each line names the field and both values.
     */
    public static List<String> differences(MemoryStoreBinding binding, MemoryStoreInfo actual) {
        List<String> out = new ArrayList<>();
        ObjectNode definition = actual.definition();
        String kind = definition.path("kind").asText("");
        if (!kind.equals("default")) {
            out.add("definition.kind is '" + kind + "', the binding needs 'default'");
        }
        compare(out, "definition.chat_model", binding.chatModel(), text(definition.get("chat_model")));
        compare(out, "definition.embedding_model", binding.embeddingModel(), text(definition.get("embedding_model")));
        ObjectNode expected = binding.options();
        JsonNode actualOptions = definition.path("options");
        for (String flag : List.of("user_profile_enabled", "chat_summary_enabled")) {
            compare(out, "definition.options." + flag, String.valueOf(flag(expected.get(flag))),
                    String.valueOf(flag(actualOptions.get(flag))));
        }
        compare(out, "definition.options.user_profile_details", text(expected.get("user_profile_details")),
                text(actualOptions.get("user_profile_details")));
        return out;
    }

    private static void compare(List<String> out, String field, String expected, String actual) {
        if (!Objects.equals(expected, actual)) {
            out.add(field + " is " + quote(actual) + ", the binding says " + quote(expected));
        }
    }

    private static String quote(String value) {
        return value == null ? "(not set)" : "'" + value + "'";
    }

    private static boolean flag(JsonNode value) {
        return value == null || !value.isBoolean() || value.booleanValue();
    }

    private static String text(JsonNode value) {
        return value == null || value.isNull() || value.isMissingNode() ? null : value.asText();
    }
}
