package dev.continuity.drill;

import com.fasterxml.jackson.databind.JsonNode;
import dev.continuity.client.ContinuityClient;
import dev.continuity.client.TurnResult;
import dev.continuity.definition.AgentDefinition;
import dev.continuity.definition.MemorySearchTool;
import dev.continuity.journal.TurnItem;
import dev.continuity.memory.MemoryScopeResolver;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The drill's memory conversations, for the first agent with a {@code memory_search} tool (the shipped
 * {@code concierge}): before the outage, in the primary, the guest tells it a lasting preference
 * ({@code remember room=quiet}) and it recalls it ({@code recall room}: a {@code memory_search_call} item,
 * then the answer); when the primary processes agents' memories at once (the drill's emulator), a second,
 * new conversation there recalls it from the memory store alone. After the failover the first conversation
 * continues in the secondary (replayed, its {@code memory_search_call} with it) and a new conversation in
 * the secondary must find the preference in the secondary's memory store, which only the rehydration's
 * memory rebuild from the journal can have put there: a {@code memory_search_call} whose results hold
 * {@code room=quiet}, then {@code room is quiet.}
 */
final class MemoryCheck {
    /** The scope {@code {{$userId}}} stands for on the emulator: its one signed-in user. */
    static final String EMULATOR_USER = "emulator-user";
    private static final String TOLD = "remember room=quiet";
    private static final String ASKED = "recall room";
    private static final String ANSWER = "room is quiet.";
    private static final String MEMORY = "room=quiet";

    private final AgentDefinition agent;
    private final Map<String, String> conversations = new LinkedHashMap<>();
    private final Map<String, List<TurnResult>> acknowledged = new LinkedHashMap<>();
    private final List<String> problems = new ArrayList<>();

    private MemoryCheck(AgentDefinition agent) {
        this.agent = agent;
    }

    /** The first agent with a {@code memory_search} tool; empty when no definition has one. */
    static Optional<MemoryCheck> find(List<AgentDefinition> agents) {
        return agents.stream().filter(a -> a.tools().stream().anyMatch(MemorySearchTool.class::isInstance))
                .findFirst().map(MemoryCheck::new);
    }

    /**
     * Whose conversations the rebuild rebuilds under a {@code {{$userId}}} scope: on the emulator every
     * conversation is its one user's; against a real topology the drill does not know who signed in, so
     * those conversations are left out of the rebuild (counted as {@code unscoped}).
     */
    static MemoryScopeResolver scopes(boolean emulated) {
        return (key, agentName, tool) -> emulated ? Optional.of(EMULATOR_USER) : Optional.empty();
    }

    /** The agent the conversations talk to. */
    String agent() {
        return agent.name();
    }

    /**
     * Before the outage, in the primary.
     *
     * @param memoriesAtOnce the primary processes agents' memory updates at once (the drill's emulator), so a
     *     new conversation there finds the preference in the store; otherwise the service waits for the
     *     tool's {@code update_delay} and that recall is not asked
     */
    void askBefore(ContinuityClient client, boolean memoriesAtOnce) {
        String told = start(client, "told");
        expect(told, send(client, told, TOLD), "OK, I will remember room.");
        TurnResult recalled = send(client, told, ASKED);
        expect(told, recalled, ANSWER);
        memorySearch(told, recalled, memoriesAtOnce);
        if (memoriesAtOnce) {
            String fresh = start(client, "recalled in the primary");
            TurnResult answer = send(client, fresh, ASKED);
            expect(fresh, answer, ANSWER);
            memorySearch(fresh, answer, true);
        }
    }

    /** After the failover, in the secondary. */
    void askAfter(ContinuityClient client, String secondary) {
        String told = conversations.get("told");
        TurnResult continued = send(client, told, ASKED);
        expect(told, continued, ANSWER);
        inRegion(told, continued, secondary);
        String fresh = start(client, "recalled in the secondary");
        TurnResult answer = send(client, fresh, ASKED);
        expect(fresh, answer, ANSWER);
        inRegion(fresh, answer, secondary);
        memorySearch(fresh, answer, true);
    }

    /** The conversations by what they do. */
    Map<String, String> conversations() {
        return conversations;
    }

    /**
     * The journal's keys of the conversations that have a copy in the secondary, for the drill's comparison of
     * regional copies (the primary's second conversation is not continued there, so it has none).
     */
    List<String> keys() {
        return conversations.entrySet().stream().filter(e -> !e.getKey().equals("recalled in the primary"))
                .map(Map.Entry::getValue).toList();
    }

    /** Every turn acknowledged, per conversation key, for the drill's lost-turn count. */
    Map<String, List<TurnResult>> acknowledged() {
        return acknowledged;
    }

    /** What went wrong (empty when the memories crossed the failover). */
    List<String> problems() {
        return List.copyOf(problems);
    }

    private String start(ContinuityClient client, String purpose) {
        String key = client.startConversation(agent.name());
        conversations.put(purpose, key);
        acknowledged.put(key, new ArrayList<>());
        return key;
    }

    private TurnResult send(ContinuityClient client, String key, String message) {
        TurnResult result = client.send(key, message);
        acknowledged.get(key).add(result);
        return result;
    }

    /** The answer has a {@code memory_search_call} that reached a store, holding the preference when required. */
    private void memorySearch(String key, TurnResult result, boolean mustFind) {
        TurnItem call = result.output().stream().filter(i -> "memory_search_call".equals(i.type()))
                .findFirst().orElse(null);
        if (call == null) {
            problems.add(key + " turn " + result.sequence() + " in " + result.region() + ": no memory_search_call in "
                    + result.output().stream().map(TurnItem::type).toList());
            return;
        }
        // the answer's items as journaled: the input form, without the server's id and status
        if (!call.node().path("results").isArray()) {
            problems.add(key + " turn " + result.sequence() + " in " + result.region() + ": memory_search_call without"
                    + " results (does the region's memory store exist?): " + call.node());
            return;
        }
        boolean found = false;
        for (JsonNode r : call.node().path("results")) {
            found |= MEMORY.equals(r.path("memory_item").path("content").asText());
        }
        if (mustFind && !found) {
            problems.add(key + " turn " + result.sequence() + " in " + result.region() + ": the memory search did not"
                    + " find '" + MEMORY + "': " + call.node().path("results"));
        }
    }

    private void expect(String key, TurnResult result, String text) {
        if (!text.equals(result.text())) {
            problems.add(key + " turn " + result.sequence() + " in " + result.region() + ": expected '" + text
                    + "', got '" + result.text() + "'");
        }
    }

    private void inRegion(String key, TurnResult result, String region) {
        if (!region.equals(result.region())) {
            problems.add(key + " turn " + result.sequence() + ": answered by " + result.region() + ", not the"
                    + " secondary " + region);
        }
    }
}
