package dev.continuity.rehydrate;

import dev.continuity.agentservice.StoredItem;
import dev.continuity.definition.AgentDefinition;
import dev.continuity.definition.SamplingOptions;
import dev.continuity.emulator.Emulator;
import dev.continuity.foundry.FoundryAgentService;
import dev.continuity.foundry.FoundryCredentials;
import dev.continuity.journal.ConversationHead;
import dev.continuity.journal.TokenUsage;
import dev.continuity.journal.Turn;
import dev.continuity.journal.TurnItem;
import dev.continuity.journal.TurnJournal;
import dev.continuity.journal.TurnOutcome;
import dev.continuity.journal.TurnStatus;
import dev.continuity.journal.memory.InMemoryTurnJournal;
import dev.continuity.topology.ModelBinding;
import dev.continuity.topology.Region;
import dev.continuity.topology.RegionRole;
import dev.continuity.topology.Topology;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Test fixture: the emulator with a primary and a secondary region, the real Foundry adapter for each,
 * an in-memory journal, a topology binding logical model {@code chat} in both regions, and helpers to
 * journal conversations the way the journaling client does (head, then committed turns).
 */
public final class TwoRegions implements AutoCloseable {

    /** The primary region. */
    public static final String PRIMARY = "eastus2";
    /** The secondary region. */
    public static final String SECONDARY = "centralus";
    /** The logical model every test agent uses. */
    public static final String LOGICAL_MODEL = "chat";
    /** The deployment it is bound to in both regions. */
    public static final String DEPLOYMENT = "gpt-4.1-mini";

    /** The running emulator. */
    public final Emulator emulator;
    /** The journal. */
    public final TurnJournal journal;
    private final Map<String, FoundryAgentService> services = new LinkedHashMap<>();

    /** Starts the emulator and connects to both regions; an in-memory journal. */
    public TwoRegions() {
        this(new InMemoryTurnJournal());
    }

    /** Starts the emulator and connects to both regions, journaling into {@code journal}. */
    public TwoRegions(TurnJournal journal) {
        this.journal = journal;
        emulator = Emulator.builder().region(PRIMARY).region(SECONDARY).start();
        for (String region : List.of(PRIMARY, SECONDARY)) {
            String endpoint = emulator.region(region).projectEndpoint();
            services.put(region, FoundryAgentService.connect(region, endpoint, FoundryCredentials.forEndpoint(endpoint)));
        }
    }

    /** The real adapter for a region. */
    public FoundryAgentService service(String region) {
        return services.get(region);
    }

    /**
     * Another adapter for {@code region} (as another process, or another component of the app, would make);
     * the caller closes it ({@code clients().close()}).
     */
    public FoundryAgentService connect(String region) {
        String endpoint = emulator.region(region).projectEndpoint();
        return FoundryAgentService.connect(region, endpoint, FoundryCredentials.forEndpoint(endpoint));
    }

    /** A topology with both regions, {@code chat} bound to {@value #DEPLOYMENT}. */
    public Topology topology() {
        Map<String, Region> regions = new LinkedHashMap<>();
        for (String name : List.of(PRIMARY, SECONDARY)) {
            regions.put(name, new Region(name, name.equals(PRIMARY) ? RegionRole.PRIMARY : RegionRole.SECONDARY,
                    emulator.region(name).projectEndpoint(),
                    Map.of(LOGICAL_MODEL, new ModelBinding(DEPLOYMENT, DEPLOYMENT, null)), Map.of(), Map.of()));
        }
        return new Topology(null, regions);
    }

    /** Agent definitions {@code agent-1 .. agent-n} on the logical model. */
    public static List<AgentDefinition> definitions(int n) {
        List<AgentDefinition> all = new ArrayList<>();
        for (int i = 1; i <= n; i++) {
            all.add(definition("agent-" + i, LOGICAL_MODEL, "You are test agent " + i + "."));
        }
        return all;
    }

    /** One definition. */
    public static AgentDefinition definition(String name, String logicalModel, String instructions) {
        return new AgentDefinition(name, "1", logicalModel, instructions, "test agent " + name, List.of(),
                SamplingOptions.NONE, Map.of(), null, null);
    }

    /** Operations the emulator counted in a region. */
    public long count(String region, String operation) {
        return emulator.region(region).operationCounts().getOrDefault(operation, 0L);
    }

    /** Forgets the operation counts of both regions. */
    public void resetCounts() {
        emulator.regions().forEach(r -> r.resetOperationCounts());
    }

    /** Starts a conversation in the journal (its head). */
    public void start(String key, String agent) {
        if (journal.compareAndSetHead(ConversationHead.start(key, agent, null, Instant.now()), 0).isEmpty()) {
            throw new IllegalStateException("conversation " + key + " exists");
        }
    }

    /**
     * Journals committed turns for {@code items}: odd positions (1-based) are turn inputs (user message
     * or function_call_output), even positions the outputs (assistant message or function_call).
     */
    public void appendItems(String key, String agent, List<TurnItem> items, String servedBy) {
        long sequence = journal.head(key).orElseThrow().lastSequence();
        for (int i = 0; i < items.size(); i += 2) {
            List<TurnItem> output = i + 1 < items.size() ? List.of(items.get(i + 1)) : List.of();
            commit(key, ++sequence, agent, List.of(items.get(i)), output, servedBy);
        }
    }

    /** Journals one committed turn. */
    public void commit(String key, long sequence, String agent, List<TurnItem> input, List<TurnItem> output,
            String servedBy) {
        Instant now = Instant.now();
        Turn turn = Turn.pending(key, sequence, agent, null, input, now)
                .committed(new TurnOutcome(output, "resp_" + key + "_" + sequence, servedBy, TokenUsage.NONE, now));
        journal.append(turn);
    }

    /**
     * {@code count} items of a plain chat, with a function_call/function_call_output pair at each of the
     * given 1-based positions of the call (the output follows it). Messages say {@code remember kN=vN}.
     */
    public static List<TurnItem> chatItems(String key, int count, Set<Integer> callPositions) {
        List<TurnItem> items = new ArrayList<>();
        for (int position = 1; position <= count; position++) {
            if (callPositions.contains(position)) {
                if (position % 2 != 0) {
                    throw new IllegalArgumentException("a function call is model output: even position, got " + position);
                }
                String callId = "call_" + key + "_" + position;
                items.add(TurnItem.functionCall(callId, "lookup", "{\"n\":" + position + "}"));
                if (position < count) {
                    items.add(TurnItem.functionCallOutput(callId, "{\"found\":" + position + "}"));
                    position++;
                }
            } else if (position % 2 != 0) {
                items.add(TurnItem.userMessage("remember k" + position + "=v" + position));
            } else {
                items.add(TurnItem.assistantMessage("OK, I will remember k" + (position - 1) + "."));
            }
        }
        return items;
    }

    /** Journals a new conversation of {@code count} items (see {@link #chatItems}) served by the primary. */
    public List<TurnItem> conversation(String key, String agent, int count, Set<Integer> callPositions) {
        start(key, agent);
        List<TurnItem> items = chatItems(key, count, callPositions);
        appendItems(key, agent, items, PRIMARY);
        return items;
    }

    /** The journal's committed items of a conversation, reasoning left out. */
    public List<TurnItem> journalItems(String key) {
        List<TurnItem> items = new ArrayList<>();
        for (Turn turn : journal.read(key, 1)) {
            if (turn.status() != TurnStatus.COMMITTED) {
                break;
            }
            turn.items().stream().filter(i -> !TurnItem.REASONING.equals(i.type())).forEach(items::add);
        }
        return items;
    }

    /** The regional conversation id of {@code key} in {@code region}. */
    public String regionalId(String key, String region) {
        return journal.head(key).orElseThrow().region(region).conversationId();
    }

    /** The items a region holds for {@code key}, as listed through the real SDK. */
    public List<TurnItem> regionItems(String key, String region) {
        return service(region).listItems(regionalId(key, region)).stream().map(StoredItem::item).toList();
    }

    /** What identifies an item's content: type, role, call id, text (the service adds ids and status). */
    public static List<String> content(List<TurnItem> items) {
        return items.stream().map(i -> i.type() + "|" + i.role() + "|" + i.callId() + "|" + i.text()).toList();
    }

    /**
     * Checks that {@code region} holds each of {@code keys} exactly as journaled, each created once, in
     * {@code minimalCalls} write calls (creates and add-items) in all.
     */
    public void assertReplayedOnce(List<String> keys, String region, long minimalCalls) {
        for (String key : keys) {
            org.assertj.core.api.Assertions.assertThat(content(regionItems(key, region))).as(key)
                    .isEqualTo(content(journalItems(key)));
        }
        org.assertj.core.api.Assertions.assertThat(count(region, "conversations.create")).as("creates")
                .isEqualTo(keys.size());
        org.assertj.core.api.Assertions.assertThat(count(region, "conversations.create")
                + count(region, "items.create")).as("write calls").isEqualTo(minimalCalls);
    }

    @Override
    public void close() {
        services.values().forEach(s -> s.clients().close());
        emulator.close();
        journal.close();
    }
}
