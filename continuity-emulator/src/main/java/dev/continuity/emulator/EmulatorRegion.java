package dev.continuity.emulator;

import dev.continuity.emulator.internal.RegionRuntime;
import java.util.List;
import java.util.Map;

/** One emulated region: its project endpoint, deployments, faults, operation counters and service times. */
public final class EmulatorRegion {

    private final RegionRuntime runtime;
    private final RegionFaults faults;

    EmulatorRegion(RegionRuntime runtime) {
        this.runtime = runtime;
        this.faults = new RegionFaults(runtime);
    }

    /** The region's name (also the project name in its endpoint). */
    public String name() {
        return runtime.name();
    }

    /** The loopback port the region listens on. */
    public int port() {
        return runtime.port();
    }

    /** {@code http://127.0.0.1:<port>/api/projects/<name>} ({@code https://} when TLS is on). */
    public String projectEndpoint() {
        return runtime.projectEndpoint();
    }

    /** Fault injection for this region. */
    public RegionFaults faults() {
        return faults;
    }

    /** The model deployments available in this region. */
    public List<String> deployments() {
        return runtime.deployments();
    }

    /**
     * Calls received (failed ones included, requests refused during an outage excluded), keyed by
     * operation name ({@code agents.list}, ..., {@code responses.delete}); every name is present.
     */
    public Map<String, Long> operationCounts() {
        return runtime.counts().snapshot();
    }

    /** Sets every operation count back to zero. */
    public void resetOperationCounts() {
        runtime.counts().reset();
    }

    /** How long this region took to answer the requests it received since {@link #resetServiceTimes()}. */
    public ServiceTimes serviceTimes() {
        return runtime.serviceTimes().snapshot();
    }

    /** Forgets the service times recorded so far. */
    public void resetServiceTimes() {
        runtime.serviceTimes().reset();
    }

    /**
     * How long this region takes to index a file attached to a vector store: until then the file is
     * {@code in_progress} (and not searchable), then {@code completed}; {@link java.time.Duration#ZERO}
     * (the default) indexes at once. Applies to files attached after the call.
     */
    public void indexingDelay(java.time.Duration delay) {
        if (delay == null || delay.isNegative()) {
            throw new IllegalArgumentException("indexing delay must be zero or positive, got " + delay);
        }
        runtime.api().indexingDelay(delay.toMillis());
    }

    /**
     * How many retrievals ({@code GET /responses/{id}}) each step of a background response takes: it is
     * {@code queued} when created, {@code in_progress} after this many retrievals, and after as many more it
     * runs (its input and output are written to its conversation then) and ends {@code completed},
     * {@code incomplete} or {@code failed}. Default 1; applies to the steps taken after the call. Deterministic:
     * tests poll, they never sleep.
     *
     * @throws IllegalArgumentException when {@code polls} is below 1
     */
    public void backgroundPolls(int polls) {
        runtime.api().backgroundPolls(polls);
    }

    /**
     * How long a memory update of this region is {@code in_progress} once its {@code update_delay} has
     * passed: until then its memories are not applied (nor found), then it is {@code completed};
     * {@link java.time.Duration#ZERO} (the default) completes at once. Applies to updates submitted after
     * the call.
     */
    public void memoryUpdateDelay(java.time.Duration delay) {
        if (delay == null || delay.isNegative()) {
            throw new IllegalArgumentException("memory update delay must be zero or positive, got " + delay);
        }
        runtime.api().memoryUpdateDelay(delay.toMillis());
    }

    /**
     * How long this region waits after a turn of an agent with a {@code memory_search} tool before it processes
     * the turn's memory update, in place of the tool's {@code update_delay} (the service's wait for the
     * conversation to go quiet, 300 s by default): {@link java.time.Duration#ZERO} processes it at once, so
     * the memories are found from the next turn on; {@code null} (the default) restores the tool's. Whole
     * seconds, as {@code update_delay}. Lets a test or the drill use a realistic agent definition without
     * waiting. Applies to updates submitted after the call.
     *
     * @throws IllegalArgumentException when {@code delay} is negative
     */
    public void agentMemoryUpdateDelay(java.time.Duration delay) {
        if (delay != null && delay.isNegative()) {
            throw new IllegalArgumentException("agent memory update delay must be zero or positive, got " + delay);
        }
        runtime.api().agentMemoryUpdateDelay(delay == null ? -1 : delay.toSeconds());
    }

    /** Number of memory stores of this region. */
    public int memoryStoreCount() {
        return runtime.api().memoryStoreCount();
    }

    /** Number of conversations stored in this region. */
    public int conversationCount() {
        return runtime.api().conversationCount();
    }

    /** Number of files uploaded to this region ({@code /openai/files}) and not deleted. */
    public int fileCount() {
        return runtime.api().fileCount();
    }

    /** Number of vector stores in this region. */
    public int vectorStoreCount() {
        return runtime.api().vectorStoreCount();
    }

    @Override
    public String toString() {
        return name() + " " + projectEndpoint();
    }
}
