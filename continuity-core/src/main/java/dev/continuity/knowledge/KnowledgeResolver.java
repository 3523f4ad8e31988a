package dev.continuity.knowledge;

import dev.continuity.topology.KnowledgeBinding;
import dev.continuity.topology.Region;
import dev.continuity.topology.Topology;
import dev.continuity.topology.VectorStoreKnowledge;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hands synced vector stores to the deployer: {@link #resolve} returns the topology with every
 * {@code vector_store} binding of one region that has a blob {@code source} and no fixed
 * {@code vector_store_ids} bound to the vector store {@link FileKnowledgeSync} built for it there.
 * Pass the result to {@link dev.continuity.deploy.AgentDeployer} or the rehydrator unchanged: the
 * {@code file_search} tool then renders the synced store's id, and the region's deploy hash changes
 * when the store does. Bindings with fixed ids are never touched; a source never synced to the region
 * stays unbound, so the binding check reports it.
 */
public final class KnowledgeResolver {

    private static final Logger LOG = LoggerFactory.getLogger(KnowledgeResolver.class);

    private KnowledgeResolver() {
    }

    /**
     * The topology with {@code service}'s region's synced vector stores filled in.
     *
     * @throws IllegalArgumentException when the topology has no region named like the service's
     */
    public static Topology resolve(Topology topology, KnowledgeService service) {
        Objects.requireNonNull(topology, "topology");
        String regionName = service.region();
        Region region = topology.requireRegion(regionName);
        Map<String, KnowledgeBinding> knowledge = new LinkedHashMap<>(region.knowledge());
        boolean changed = false;
        List<VectorStoreInfo> stores = null; // listed once, on first need
        for (Map.Entry<String, KnowledgeBinding> entry : region.knowledge().entrySet()) {
            if (!(entry.getValue() instanceof VectorStoreKnowledge v) || v.source() == null || !v.vectorStoreIds().isEmpty()) {
                continue;
            }
            if (stores == null) {
                stores = service.listVectorStores();
            }
            Optional<VectorStoreInfo> store = FileKnowledgeSync.findVectorStore(stores, entry.getKey());
            if (store.isEmpty()) {
                LOG.warn("knowledge source '{}' has a blob source but no synced vector store in {}: sync it before deploying",
                        entry.getKey(), regionName);
                continue;
            }
            knowledge.put(entry.getKey(), new VectorStoreKnowledge(List.of(store.get().id()), v.source(), v.raw()));
            changed = true;
        }
        if (!changed) {
            return topology;
        }
        Map<String, Region> regions = new LinkedHashMap<>(topology.regions());
        regions.put(regionName, region.withKnowledge(knowledge));
        return new Topology(topology.source(), regions);
    }
}
