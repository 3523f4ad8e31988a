package dev.continuity.memory;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.continuity.RetrySettings;
import dev.continuity.definition.AgentDefinition;
import dev.continuity.definition.MemorySearchTool;
import dev.continuity.journal.ConversationSummary;
import dev.continuity.journal.Page;
import dev.continuity.journal.Turn;
import dev.continuity.journal.TurnItem;
import dev.continuity.journal.TurnJournal;
import dev.continuity.journal.TurnStatus;
import dev.continuity.topology.MemoryStoreBinding;
import dev.continuity.topology.Region;
import dev.continuity.topology.Topology;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Rebuilds a region's memory stores from the journal: creates each store the definitions' {@code memory_search}
 * tools bind in the region where it is missing ({@link MemoryStores#ensure}), then, for every journaled
 * conversation of an agent with such a tool, sends the conversation's messages (user and assistant, from its
 * committed turns, as the journal holds them) to the store through {@code update_memories} with
 * {@code update_delay: 0}, for the conversation's scope, and polls each update until it is finished.
 *
 * <p><b>Why from the journal and not from the source region's memories:</b> the preview spec has no operation
 * that lists or reads a store's memories ({@code search_memories} returns only memories relevant to given
 * items, in one scope the caller must name), and the source region is typically the one that is down. The
 * journal holds every conversation the memories came from. The cost: per conversation one
 * {@code update_memories} call per {@value #ITEMS_PER_UPDATE} messages plus at least one poll, and the
 * service's extraction time (its chat and embedding models run over the messages: tokens billed as on the
 * first pass); per store one read and at most one create. The memories the service extracts again equal the
 * originals only as far as its model is deterministic; memories written outside conversations (direct
 * {@code update_memories} calls by the application) are not in the journal and are not rebuilt.
 *
 * <pre>{@code
 * MemoryRebuildReport report = MemoryRebuild.builder().journal(journal).topology(topology)
 *     .definitions(set.latestOfEach()).target(new FoundryMemoryStoreService("centralus", clients))
 *     .scopes((key, agent, tool) -> Optional.of(userOf(key)))   // only for {{$userId}} scopes
 *     .build().run();
 * }</pre>
 */
public final class MemoryRebuild {

    private static final Logger LOG = LoggerFactory.getLogger(MemoryRebuild.class);

    /** At most this many messages go into one {@code update_memories} call. */
    public static final int ITEMS_PER_UPDATE = 100;

    private final TurnJournal journal;
    private final Topology topology;
    private final List<AgentDefinition> definitions;
    private final MemoryStoreService target;
    private final MemoryScopeResolver scopes;
    private final Duration timeout;
    private final int pageSize;
    private final List<MemoryStores.Ensured> ensured;

    private MemoryRebuild(Builder b) {
        this.ensured = List.copyOf(b.ensured);
        this.journal = b.journal;
        this.topology = b.topology;
        this.definitions = List.copyOf(b.definitions);
        this.target = b.target;
        this.scopes = b.scopes;
        this.timeout = b.timeout;
        this.pageSize = b.pageSize;
    }

    /** A new builder. */
    public static Builder builder() {
        return new Builder();
    }

    /** One store a conversation's memories go to. */
    private record Destination(String logical, MemoryStoreBinding binding, MemorySearchTool tool) {
    }

    /** An update in flight. */
    private record Pending(String store, String conversationKey, String updateId) {
    }

    /** Creates the missing stores and rebuilds the memories; blocks until every update is finished or timed out. */
    public MemoryRebuildReport run() {
        long started = System.nanoTime();
        String regionName = target.region();
        Region region = topology.requireRegion(regionName);
        CountingService service = new CountingService(target);
        List<String> problems = new ArrayList<>();
        List<MemoryStores.Ensured> stores = new ArrayList<>();
        Map<String, MemoryStoreBinding> used = MemoryStores.used(definitions, region);
        for (Map.Entry<String, MemoryStoreBinding> e : used.entrySet()) {
            Optional<MemoryStores.Ensured> before = ensured.stream()
                    .filter(x -> x.logicalName().equals(e.getKey()) && x.name().equals(e.getValue().name())).findFirst();
            if (before.isPresent()) {
                stores.add(before.get());
                continue;
            }
            try {
                stores.add(MemoryStores.ensure(e.getKey(), e.getValue(), service));
            } catch (RuntimeException ex) {
                problems.add("memory store '" + e.getValue().name() + "' (logical '" + e.getKey() + "') in "
                        + regionName + " could not be created: " + ex.getMessage());
            }
        }
        Map<String, List<Destination>> byAgent = new LinkedHashMap<>();
        for (AgentDefinition d : definitions) {
            for (MemorySearchTool tool : MemoryStores.tools(d)) {
                MemoryStoreBinding binding = used.get(tool.memoryStore());
                boolean ready = stores.stream().anyMatch(s -> s.logicalName().equals(tool.memoryStore()));
                if (binding != null && ready) {
                    byAgent.computeIfAbsent(d.name(), k -> new ArrayList<>())
                            .add(new Destination(tool.memoryStore(), binding, tool));
                }
            }
        }
        long conversations = 0;
        long unscoped = 0;
        List<Pending> pending = new ArrayList<>();
        if (!byAgent.isEmpty()) {
            String token = null;
            do {
                Page<ConversationSummary> page = journal.listConversations(token, pageSize);
                for (ConversationSummary summary : page.items()) {
                    List<Destination> destinations = byAgent.get(summary.agentName());
                    if (destinations == null) {
                        continue;
                    }
                    List<ObjectNode> messages = messages(summary.conversationKey());
                    if (messages.isEmpty()) {
                        continue;
                    }
                    boolean sent = false;
                    for (Destination destination : destinations) {
                        Optional<String> scope = scopes.scope(summary.conversationKey(), summary.agentName(),
                                destination.tool());
                        if (scope.isEmpty()) {
                            unscoped++;
                            LOG.warn("memories of conversation {} (agent {}) not rebuilt in {}: its memory_search scope"
                                    + " '{}' depends on the user and no MemoryScopeResolver knows it",
                                    summary.conversationKey(), summary.agentName(), regionName,
                                    destination.tool().scope());
                            continue;
                        }
                        for (int from = 0; from < messages.size(); from += ITEMS_PER_UPDATE) {
                            List<ObjectNode> chunk = messages.subList(from, Math.min(messages.size(),
                                    from + ITEMS_PER_UPDATE));
                            String store = destination.binding().name();
                            try {
                                MemoryUpdate update = service.updateMemories(store, scope.get(), chunk);
                                pending.add(new Pending(store, summary.conversationKey(), update.updateId()));
                                sent = true;
                            } catch (RuntimeException ex) {
                                problems.add("memory update of store '" + store + "' in " + regionName
                                        + " for conversation " + summary.conversationKey() + " failed: "
                                        + ex.getMessage());
                            }
                        }
                    }
                    if (sent) {
                        conversations++;
                    }
                }
                token = page.continuationToken();
            } while (token != null);
        }
        long updates = pending.size();
        long[] outcome = await(service, pending, problems, regionName);
        MemoryRebuildReport report = new MemoryRebuildReport(regionName, stores, conversations, updates, outcome[0],
                outcome[1], unscoped, service.calls.get(), (System.nanoTime() - started) / 1_000_000, problems);
        LOG.info("memory rebuild of {}: {} store(s) ({} created), {} conversation(s), {} update(s): {} completed, {}"
                + " failed, {} unscoped; {} calls in {} ms", regionName, stores.size(), report.storesCreated(),
                conversations, updates, outcome[0], outcome[1], unscoped, report.calls(), report.millis());
        return report;
    }

    /** The messages of the conversation's committed turns, in order, as the journal holds them. */
    private List<ObjectNode> messages(String conversationKey) {
        List<ObjectNode> messages = new ArrayList<>();
        for (Turn turn : journal.read(conversationKey, 1)) {
            if (turn.status() != TurnStatus.COMMITTED) {
                continue;
            }
            for (TurnItem item : turn.items()) {
                if (TurnItem.MESSAGE.equals(item.type())) {
                    messages.add(item.node());
                }
            }
        }
        return messages;
    }

    /** Polls every update until finished (50 ms doubling to 2 s between rounds) or the timeout; {completed, failed}. */
    private long[] await(MemoryStoreService service, List<Pending> pending, List<String> problems, String region) {
        long completed = 0;
        long failed = 0;
        long deadline = System.nanoTime() + timeout.toNanos();
        int round = 0;
        List<Pending> open = new ArrayList<>(pending);
        while (!open.isEmpty()) {
            List<Pending> still = new ArrayList<>();
            for (Pending p : open) {
                MemoryUpdate state;
                try {
                    state = service.memoryUpdate(p.store(), p.updateId());
                } catch (RuntimeException ex) {
                    failed++;
                    problems.add("memory update " + p.updateId() + " of store '" + p.store() + "' in " + region
                            + " (conversation " + p.conversationKey() + ") could not be read: " + ex.getMessage());
                    continue;
                }
                if (!state.finished()) {
                    still.add(p);
                } else if (state.status().equals("completed")) {
                    completed++;
                } else {
                    failed++;
                    problems.add("memory update " + p.updateId() + " of store '" + p.store() + "' in " + region
                            + " (conversation " + p.conversationKey() + ") ended " + state.status()
                            + (state.error() != null ? ": " + state.error() : "")
                            + (state.supersededBy() != null ? " by " + state.supersededBy() : ""));
                }
            }
            open = still;
            if (open.isEmpty()) {
                break;
            }
            if (System.nanoTime() > deadline) {
                for (Pending p : open) {
                    failed++;
                    problems.add("memory update " + p.updateId() + " of store '" + p.store() + "' in " + region
                            + " (conversation " + p.conversationKey() + ") did not finish within " + timeout);
                }
                break;
            }
            try {
                Thread.sleep(RetrySettings.polling().delayMillis(++round, -1));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                for (Pending p : open) {
                    failed++;
                    problems.add("memory update " + p.updateId() + " of store '" + p.store() + "' in " + region
                            + ": interrupted while waiting");
                }
                break;
            }
        }
        return new long[] {completed, failed};
    }

    /** Counts every call made through the port. */
    private static final class CountingService implements MemoryStoreService {
        private final MemoryStoreService delegate;
        private final AtomicLong calls = new AtomicLong();

        CountingService(MemoryStoreService delegate) {
            this.delegate = delegate;
        }

        @Override
        public String region() {
            return delegate.region();
        }

        @Override
        public Optional<MemoryStoreInfo> memoryStore(String name) {
            calls.incrementAndGet();
            return delegate.memoryStore(name);
        }

        @Override
        public MemoryStoreInfo createMemoryStore(String name, ObjectNode definition, String description,
                Map<String, String> metadata) {
            calls.incrementAndGet();
            return delegate.createMemoryStore(name, definition, description, metadata);
        }

        @Override
        public MemoryUpdate updateMemories(String store, String scope, List<ObjectNode> items) {
            calls.incrementAndGet();
            return delegate.updateMemories(store, scope, items);
        }

        @Override
        public MemoryUpdate memoryUpdate(String store, String updateId) {
            calls.incrementAndGet();
            return delegate.memoryUpdate(store, updateId);
        }
    }

    /** Builds a {@link MemoryRebuild}. Required: journal, topology, definitions, target. */
    public static final class Builder {
        private TurnJournal journal;
        private Topology topology;
        private Collection<AgentDefinition> definitions;
        private MemoryStoreService target;
        private MemoryScopeResolver scopes = MemoryScopeResolver.FIXED_SCOPES;
        private Duration timeout = Duration.ofMinutes(10);
        private int pageSize = 100;
        private List<MemoryStores.Ensured> ensured = List.of();

        private Builder() {
        }

        /**
         * Stores already created or found in the target by this run's caller (the {@code Rehydrator} ensures them
         * before it deploys the agents): not read again, reported as given.
         */
        public Builder ensured(List<MemoryStores.Ensured> ensured) {
            this.ensured = List.copyOf(Objects.requireNonNull(ensured, "ensured"));
            return this;
        }

        /** The journal to read conversations from (required). */
        public Builder journal(TurnJournal journal) {
            this.journal = Objects.requireNonNull(journal, "journal");
            return this;
        }

        /** The topology binding the stores (required). */
        public Builder topology(Topology topology) {
            this.topology = Objects.requireNonNull(topology, "topology");
            return this;
        }

        /** The definitions, one per agent (required). */
        public Builder definitions(Collection<AgentDefinition> definitions) {
            this.definitions = List.copyOf(Objects.requireNonNull(definitions, "definitions"));
            return this;
        }

        /** The target region's memory stores (required; its region must be in the topology). */
        public Builder target(MemoryStoreService target) {
            this.target = Objects.requireNonNull(target, "target");
            return this;
        }

        /** Resolves per-user scopes (default {@link MemoryScopeResolver#FIXED_SCOPES}). */
        public Builder scopes(MemoryScopeResolver scopes) {
            this.scopes = Objects.requireNonNull(scopes, "scopes");
            return this;
        }

        /** How long to wait for the updates to finish (default 10 minutes). */
        public Builder timeout(Duration timeout) {
            if (timeout == null || timeout.isNegative() || timeout.isZero()) {
                throw new IllegalArgumentException("timeout must be positive, got " + timeout);
            }
            this.timeout = timeout;
            return this;
        }

        /** Journal listing page size (default 100). */
        public Builder pageSize(int pageSize) {
            if (pageSize < 1) {
                throw new IllegalArgumentException("pageSize must be >= 1");
            }
            this.pageSize = pageSize;
            return this;
        }

        /** Builds the rebuild. */
        public MemoryRebuild build() {
            if (journal == null || topology == null || definitions == null || target == null) {
                throw new IllegalStateException("journal, topology, definitions and target are required");
            }
            topology.requireRegion(target.region());
            return new MemoryRebuild(this);
        }
    }
}
