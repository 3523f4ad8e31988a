package dev.continuity.topology;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * One region of a topology.
 *
 * @param name the region name (e.g. {@code eastus2})
 * @param role primary or secondary
 * @param projectEndpoint the Foundry project endpoint ({@code https://<res>.services.ai.azure.com/api/projects/<p>})
 * @param models logical model name to the region's deployment
 * @param knowledge logical knowledge source name to what it is in the region
 * @param connections logical connection name to the region's project connection
 * @param memoryStores logical memory store name to the region's memory store
 */
public record Region(String name, RegionRole role, String projectEndpoint, Map<String, ModelBinding> models,
        Map<String, KnowledgeBinding> knowledge, Map<String, ConnectionBinding> connections,
        Map<String, MemoryStoreBinding> memoryStores) {

    /** Validates and copies (keeping file order). */
    public Region {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(role, "role");
        Objects.requireNonNull(projectEndpoint, "projectEndpoint");
        models = copy(models);
        knowledge = copy(knowledge);
        connections = copy(connections);
        memoryStores = copy(memoryStores);
    }

    /** A region that binds no memory store. */
    public Region(String name, RegionRole role, String projectEndpoint, Map<String, ModelBinding> models,
            Map<String, KnowledgeBinding> knowledge, Map<String, ConnectionBinding> connections) {
        this(name, role, projectEndpoint, models, knowledge, connections, Map.of());
    }

    /** This region with another knowledge map (everything else kept). */
    public Region withKnowledge(Map<String, KnowledgeBinding> newKnowledge) {
        return new Region(name, role, projectEndpoint, models, newKnowledge, connections, memoryStores);
    }

    /** The regional binding of a logical memory store. */
    public Optional<MemoryStoreBinding> memoryStore(String logicalName) {
        return Optional.ofNullable(memoryStores.get(logicalName));
    }

    /** The regional deployment of a logical model. */
    public Optional<ModelBinding> model(String logicalName) {
        return Optional.ofNullable(models.get(logicalName));
    }

    /** The regional binding of a logical knowledge source. */
    public Optional<KnowledgeBinding> knowledgeSource(String logicalName) {
        return Optional.ofNullable(knowledge.get(logicalName));
    }

    /** The regional binding of a logical connection. */
    public Optional<ConnectionBinding> connection(String logicalName) {
        return Optional.ofNullable(connections.get(logicalName));
    }

    private static <V> Map<String, V> copy(Map<String, V> map) {
        return map == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(map));
    }
}
