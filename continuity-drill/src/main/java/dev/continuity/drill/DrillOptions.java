package dev.continuity.drill;

import java.nio.file.Path;
import java.util.Objects;

/**
 * What the drill does.
 *
 * @param conversations concurrent conversations
 * @param turns turns per conversation during traffic (odd turns store a fact, even turns recall the previous one)
 * @param store journal: {@code memory}, {@code sqlite} (a file in a temporary directory) or {@code cosmos}
 * @param mode rehydration of conversations after failover: {@code lazy} (on first use), {@code eager}
 *     (all, in the background) or {@code warm} (Cosmos DB store only: a change-feed warm standby replays
 *     every committed turn into the secondary during traffic, so after failover only the tail is replayed,
 *     lazily); agents are always rehydrated at once
 * @param agentsDir the agent definitions
 * @param topologyFile topology; {@code null} = two emulated regions in-process
 * @param probeIntervalMillis health probe interval
 * @param failureThreshold consecutive probe failures that declare a region down
 * @param threads traffic threads
 * @param streaming every turn is streamed ({@code --streaming}); otherwise half of them are (conversation and
 *     turn number adding up to an even number), and the turn in flight when the primary goes dark always is
 * @param chaos what the primary suffers during the traffic before the outage, which must not fail it over
 *     ({@code --chaos}): {@code none}; {@code throttle}, a storm of 429 answers to every kind of request, probes
 *     included; {@code latency}, added latency on every request and, on some answers, more than the client's
 *     time-out (emulated regions only)
 * @param load CPU-burning threads that run through the traffic, a loaded machine ({@code --load}; 0 = none)
 */
public record DrillOptions(int conversations, int turns, String store, String mode, Path agentsDir, Path topologyFile,
        long probeIntervalMillis, int failureThreshold, int threads, boolean streaming, String chaos, int load) {

    /** The options without chaos or load. */
    public DrillOptions(int conversations, int turns, String store, String mode, Path agentsDir, Path topologyFile,
            long probeIntervalMillis, int failureThreshold, int threads, boolean streaming) {
        this(conversations, turns, store, mode, agentsDir, topologyFile, probeIntervalMillis, failureThreshold, threads,
                streaming, "none", 0);
    }

    /** The options with half the turns streamed (the default). */
    public DrillOptions(int conversations, int turns, String store, String mode, Path agentsDir, Path topologyFile,
            long probeIntervalMillis, int failureThreshold, int threads) {
        this(conversations, turns, store, mode, agentsDir, topologyFile, probeIntervalMillis, failureThreshold, threads,
                false);
    }

    /** Validates the options. */
    public DrillOptions {
        if (conversations < 1) {
            throw new IllegalArgumentException("--conversations must be at least 1, got " + conversations);
        }
        if (turns < 2) {
            throw new IllegalArgumentException("--turns must be at least 2 (a fact and its recall)");
        }
        if (probeIntervalMillis < 1) {
            throw new IllegalArgumentException("--probe-interval must be at least 1 ms, got " + probeIntervalMillis);
        }
        if (failureThreshold < 1) {
            throw new IllegalArgumentException("failureThreshold must be at least 1, got " + failureThreshold);
        }
        if (threads < 1) {
            throw new IllegalArgumentException("--threads must be at least 1, got " + threads);
        }
        Objects.requireNonNull(agentsDir, "agentsDir");
        if (!store.equals("memory") && !store.equals("sqlite") && !store.equals("cosmos")) {
            throw new IllegalArgumentException("--store must be memory, sqlite or cosmos, not '" + store + "'");
        }
        if (!mode.equals("lazy") && !mode.equals("eager") && !mode.equals("warm")) {
            throw new IllegalArgumentException("--mode must be lazy, eager or warm, not '" + mode + "'");
        }
        Objects.requireNonNull(chaos, "chaos");
        if (!chaos.equals("none") && !chaos.equals("throttle") && !chaos.equals("latency")) {
            throw new IllegalArgumentException("--chaos must be none, throttle or latency, not '" + chaos + "'");
        }
        if (!chaos.equals("none") && topologyFile != null) {
            throw new IllegalArgumentException("--chaos " + chaos + " needs the emulated regions: it injects faults"
                    + " into the primary, which --topology " + topologyFile + " does not let the drill do");
        }
        if (load < 0) {
            throw new IllegalArgumentException("--load must not be negative, got " + load);
        }
        if (mode.equals("warm") && !store.equals("cosmos")) {
            throw new IllegalArgumentException("--mode warm needs --store cosmos: the warm standby follows the Cosmos DB"
                    + " journal's change feed (--store was '" + store + "')");
        }
    }

    /** The defaults: 20 conversations of 6 turns, SQLite, lazy, the emulator. */
    public static DrillOptions defaults() {
        return new DrillOptions(20, 6, "sqlite", "lazy", Path.of("agents"), null, 100, 3, 16);
    }
}
