package dev.continuity.benchmarks;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.management.GarbageCollectionNotificationInfo;
import dev.continuity.foundry.FoundryAgentService;
import dev.continuity.foundry.FoundryCredentials;
import dev.continuity.journal.sqlite.SqliteTurnJournal;
import dev.continuity.rehydrate.RehydrationEvent;
import dev.continuity.rehydrate.RehydrationMode;
import dev.continuity.rehydrate.RehydrationPhase;
import dev.continuity.rehydrate.RehydrationReport;
import dev.continuity.rehydrate.Rehydrator;
import dev.continuity.rehydrate.WorkSharing;
import dev.continuity.topology.ModelBinding;
import dev.continuity.topology.Region;
import dev.continuity.topology.RegionRole;
import dev.continuity.topology.Topology;
import dev.continuity.validation.ValidationOptions;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One application instance of {@link ScaleRehydrationBenchmark}, in its own JVM: eagerly rehydrates the region from
 * the SQLite journal, sharing the conversations phase with the other instances through the journal's leases, and
 * prints one line {@value #REPORT} followed by its {@link ScaleRehydrationBenchmark.InstanceReport} as JSON.
 *
 * <p>Arguments: journal file, project endpoint, region, instance name, concurrency, chunk size.
 */
public final class RehydrationInstance {

    /** The prefix of the report line. */
    public static final String REPORT = "INSTANCE-REPORT ";

    private RehydrationInstance() {
    }

    /** Runs one instance. */
    public static void main(String[] args) throws Exception {
        Path file = Path.of(args[0]);
        String endpoint = args[1];
        String region = args[2];
        String instance = args[3];
        int concurrency = Integer.parseInt(args[4]);
        int chunk = Integer.parseInt(args[5]);
        AtomicLong peakAfterGc = new AtomicLong();
        watchHeapAfterGc(peakAfterGc);
        AtomicLong phaseStart = new AtomicLong();
        AtomicLong phaseEnd = new AtomicLong();
        AtomicLong cpuStart = new AtomicLong();
        AtomicLong cpuEnd = new AtomicLong();
        try (SqliteTurnJournal journal = SqliteTurnJournal.open(file)) {
            FoundryAgentService target = FoundryAgentService.connect(region, endpoint,
                    FoundryCredentials.forEndpoint(endpoint));
            Topology topology = new Topology(null, Map.of(region, new Region(region, RegionRole.SECONDARY, endpoint,
                    Map.of("chat", new ModelBinding("gpt-4.1-mini", "gpt-4.1-mini", null)), Map.of(), Map.of())));
            RehydrationReport report = Rehydrator.builder().journal(journal).target(target).topology(topology)
                    .definitions(RehydrationBenchmark.agents()).mode(RehydrationMode.EAGER).concurrency(concurrency)
                    .validation(ValidationOptions.none()).cleanOrphans(false)
                    .shareWork(WorkSharing.instance(instance).withChunkSize(chunk))
                    .listener(event -> {
                        if (event instanceof RehydrationEvent.PhaseStarted p
                                && p.phase() == RehydrationPhase.CONVERSATIONS) {
                            phaseStart.set(System.currentTimeMillis());
                            cpuStart.set(processCpuNanos());
                        } else if (event instanceof RehydrationEvent.PhaseCompleted p
                                && p.phase() == RehydrationPhase.CONVERSATIONS) {
                            phaseEnd.set(System.currentTimeMillis());
                            cpuEnd.set(processCpuNanos());
                        }
                    })
                    .build().run();
            long gcCount = 0;
            long gcMillis = 0;
            for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
                gcCount += Math.max(0, gc.getCollectionCount());
                gcMillis += Math.max(0, gc.getCollectionTime());
            }
            ScaleRehydrationBenchmark.InstanceReport result = new ScaleRehydrationBenchmark.InstanceReport(instance,
                    report.status().name(), phaseStart.get(), phaseEnd.get(), report.work().conversations(),
                    report.work().chunks(), report.work().takenOver(), report.conversations().writeCalls(),
                    report.conversations().minimalWriteCalls(), Runtime.getRuntime().maxMemory(), peakAfterGc.get(),
                    gcCount, gcMillis, (cpuEnd.get() - cpuStart.get()) / 1_000_000);
            System.out.println(REPORT + new ObjectMapper().writeValueAsString(result));
            System.out.flush();
            target.clients().close();
        }
        System.exit(0);
    }

    /** CPU time of this process (all threads, the JVM's own included). */
    private static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }

    /** Records into {@code peak} the heap in use after every collection (all heap pools, from the GC's own report). */
    private static void watchHeapAfterGc(AtomicLong peak) {
        java.util.Set<String> heapPools = new java.util.HashSet<>();
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP) {
                heapPools.add(pool.getName());
            }
        }
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            ((javax.management.NotificationEmitter) gc).addNotificationListener((notification, handback) -> {
                if (!GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION.equals(notification.getType())) {
                    return;
                }
                GarbageCollectionNotificationInfo info = GarbageCollectionNotificationInfo.from(
                        (javax.management.openmbean.CompositeData) notification.getUserData());
                long used = 0;
                for (Map.Entry<String, MemoryUsage> pool : info.getGcInfo().getMemoryUsageAfterGc().entrySet()) {
                    if (heapPools.contains(pool.getKey())) {
                        used += pool.getValue().getUsed();
                    }
                }
                peak.accumulateAndGet(used, Math::max);
            }, null, null);
        }
    }
}
