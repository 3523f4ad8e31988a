package dev.continuity.definition;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * Every version of every agent read from a definitions directory. Versions of one agent are ordered
 * by {@link VersionOrder}; the latest is the greatest. Immutable.
 */
public final class DefinitionSet {

    private final Map<String, List<AgentDefinition>> byAgent;

    private DefinitionSet(Map<String, List<AgentDefinition>> byAgent) {
        this.byAgent = byAgent;
    }

    /**
     * A set of definitions. Versions of one agent that compare equal under {@link VersionOrder}
     * (the loader reports those) keep the first given.
     */
    public static DefinitionSet of(Collection<AgentDefinition> definitions) {
        Map<String, List<AgentDefinition>> byAgent = new TreeMap<>();
        for (AgentDefinition d : definitions) {
            List<AgentDefinition> versions = byAgent.computeIfAbsent(d.name(), k -> new ArrayList<>());
            if (versions.stream().noneMatch(v -> VersionOrder.INSTANCE.compare(v.version(), d.version()) == 0)) {
                versions.add(d);
            }
        }
        byAgent.replaceAll((name, versions) -> {
            versions.sort((x, y) -> VersionOrder.INSTANCE.compare(x.version(), y.version()));
            return List.copyOf(versions);
        });
        return new DefinitionSet(Collections.unmodifiableMap(byAgent));
    }

    /** An empty set. */
    public static DefinitionSet empty() {
        return new DefinitionSet(Map.of());
    }

    /** Agent names, sorted. */
    public SortedSet<String> agentNames() {
        return Collections.unmodifiableSortedSet(new TreeSet<>(byAgent.keySet()));
    }

    /** True when there is no definition. */
    public boolean isEmpty() {
        return byAgent.isEmpty();
    }

    /** Number of definitions (all versions of all agents). */
    public int size() {
        return byAgent.values().stream().mapToInt(List::size).sum();
    }

    /** Every definition, by agent name then version, oldest first. */
    public List<AgentDefinition> all() {
        return byAgent.values().stream().flatMap(List::stream).collect(Collectors.toUnmodifiableList());
    }

    /** The versions of one agent, oldest first; empty when the agent is unknown. */
    public List<AgentDefinition> versions(String agentName) {
        return byAgent.getOrDefault(agentName, List.of());
    }

    /** The latest version of an agent (the greatest under {@link VersionOrder}). */
    public Optional<AgentDefinition> latest(String agentName) {
        List<AgentDefinition> versions = versions(agentName);
        return versions.isEmpty() ? Optional.empty() : Optional.of(versions.get(versions.size() - 1));
    }

    /** One exact version of an agent (compared as strings, not under the version order). */
    public Optional<AgentDefinition> version(String agentName, String version) {
        return versions(agentName).stream().filter(d -> d.version().equals(version)).findFirst();
    }

    /** The latest version of every agent, by agent name. */
    public List<AgentDefinition> latestOfEach() {
        return select(Map.of());
    }

    /**
     * One version per agent, by agent name: the pinned version where {@code pins} names the agent,
     * else the latest.
     *
     * @param pins agent name to exact version
     * @throws IllegalArgumentException when a pin names an unknown agent or version (the message lists
     *     the versions there are)
     */
    public List<AgentDefinition> select(Map<String, String> pins) {
        for (Map.Entry<String, String> pin : pins.entrySet()) {
            if (!byAgent.containsKey(pin.getKey())) {
                throw new IllegalArgumentException("pinned agent '" + pin.getKey() + "' has no definition (agents: "
                        + String.join(", ", byAgent.keySet()) + ")");
            }
            if (version(pin.getKey(), pin.getValue()).isEmpty()) {
                throw new IllegalArgumentException("agent '" + pin.getKey() + "' has no version '" + pin.getValue()
                        + "' (versions: " + versions(pin.getKey()).stream().map(AgentDefinition::version)
                                .collect(Collectors.joining(", ")) + ")");
            }
        }
        List<AgentDefinition> selected = new ArrayList<>();
        for (String name : byAgent.keySet()) {
            String pinned = pins.get(name);
            selected.add(pinned == null ? latest(name).orElseThrow() : version(name, pinned).orElseThrow());
        }
        return List.copyOf(selected);
    }

    @Override
    public String toString() {
        return byAgent.entrySet().stream()
                .map(e -> e.getKey() + e.getValue().stream().map(AgentDefinition::version)
                        .collect(Collectors.joining(",", "[", "]")))
                .collect(Collectors.joining(" ", "DefinitionSet{", "}"));
    }
}
