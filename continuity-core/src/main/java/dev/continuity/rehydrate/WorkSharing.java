package dev.continuity.rehydrate;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.Objects;
import java.util.UUID;

/**
 * How a {@link Rehydrator} shares its conversations phase with other application instances through leases in the
 * journal ({@link dev.continuity.journal.WorkLeases}); set with {@link Rehydrator.Builder#shareWork(WorkSharing)}.
 *
 * <p>The instances rehydrating the same region in the same mode (and {@link #name()}) join one <em>run</em>: they
 * take the journal's listing one chunk of {@link #chunkSize()} conversations at a time, each chunk under a lease
 * renewed every third of {@link #leaseDuration()} while its owner works on it. A chunk whose owner stopped renewing
 * (it crashed, or was cut off from the journal) is taken over by another instance once its lease has expired, and
 * replayed again from its first conversation: the replayer's cursor makes that exactly once per conversation (what
 * the first owner replayed is found up to date and not written again). An instance ends its phase when every chunk
 * of the run is done, waiting for (and, after expiry, taking over) the chunks other instances hold, which it looks at
 * again every second (or every third of the lease duration, if shorter), so it ends at most about a second after the
 * run's last chunk is done; that wait ends at once when the phase is interrupted or gives up on the region, and the
 * chunks the instance did not finish are released for another instance.
 *
 * <p>A conversation whose replay failed for a reason of its own is counted in this instance's report, kept in its
 * chunk's lease and counted in the run's coordinator lease; its chunk is done (the next run retries it). The instance
 * that completes a run deletes its chunk leases; the coordinator lease of each region, mode and name is kept and says
 * the run completed.
 *
 * @param instance this instance's name in the leases (unique among the instances; default: host, process id and a
 *     random suffix)
 * @param leaseDuration how long a chunk stays with an owner that stopped renewing it (default 30 s)
 * @param chunkSize conversations per chunk (default 100)
 * @param name the run's name, for instances that rehydrate the same region for different reasons at once (default
 *     {@code "default"})
 */
public record WorkSharing(String instance, Duration leaseDuration, int chunkSize, String name) {

    /** The default {@link #leaseDuration()}: 30 seconds. */
    public static final Duration DEFAULT_LEASE_DURATION = Duration.ofSeconds(30);
    /** The default {@link #chunkSize()}: 100 conversations. */
    public static final int DEFAULT_CHUNK_SIZE = 100;

    /** Validates. */
    public WorkSharing {
        Objects.requireNonNull(instance, "instance");
        Objects.requireNonNull(leaseDuration, "leaseDuration");
        Objects.requireNonNull(name, "name");
        if (instance.isBlank()) {
            throw new IllegalArgumentException("WorkSharing instance must not be blank");
        }
        if (leaseDuration.compareTo(Duration.ofSeconds(1)) < 0) {
            throw new IllegalArgumentException("WorkSharing leaseDuration must be at least 1 s (renewed every third"
                    + " of it), was " + leaseDuration);
        }
        if (chunkSize < 1 || chunkSize > 1000) {
            throw new IllegalArgumentException("WorkSharing chunkSize must be 1 to 1000, was " + chunkSize);
        }
        if (name.isBlank() || name.contains("/")) {
            throw new IllegalArgumentException("WorkSharing name must be non-blank without '/', was '" + name + "'");
        }
    }

    /** Defaults, with a generated instance name. */
    public static WorkSharing defaults() {
        return instance(generatedInstanceName());
    }

    /** Defaults, for the instance {@code instance}. */
    public static WorkSharing instance(String instance) {
        return new WorkSharing(instance, DEFAULT_LEASE_DURATION, DEFAULT_CHUNK_SIZE, "default");
    }

    /** This with another lease duration. */
    public WorkSharing withLeaseDuration(Duration duration) {
        return new WorkSharing(instance, duration, chunkSize, name);
    }

    /** This with another chunk size. */
    public WorkSharing withChunkSize(int size) {
        return new WorkSharing(instance, leaseDuration, size, name);
    }

    /** This with another run name. */
    public WorkSharing withName(String runName) {
        return new WorkSharing(instance, leaseDuration, chunkSize, runName);
    }

    private static String generatedInstanceName() {
        // RuntimeMXBean's name is "pid@host"
        return ManagementFactory.getRuntimeMXBean().getName() + "-" + UUID.randomUUID().toString().substring(0, 8);
    }
}
