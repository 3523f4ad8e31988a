package dev.continuity.benchmarks;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.util.HashMap;
import java.util.Map;

/**
 * Where a benchmark's CPU went, per request, by who spent it: the threads that call the SDK, the SDK's own
 * background threads (OkHttp's task runner and Okio's timeout watchdog), the emulator's threads, and the
 * JVM itself (garbage collection and JIT compilation, whose threads {@link ThreadMXBean} does not list:
 * process CPU minus every listed thread). Times include the kernel work each thread causes, such as
 * loopback TCP.
 *
 * @param requests requests the CPU is divided by
 * @param sdkCallerMicros threads calling the SDK, per request
 * @param sdkBackgroundMicros OkHttp/Okio background threads, per request
 * @param emulatorMicros emulator threads, per request
 * @param otherThreadMicros every other listed thread, per request
 * @param jvmMicros GC and JIT, per request
 */
public record CpuBreakdown(int requests, double sdkCallerMicros, double sdkBackgroundMicros, double emulatorMicros,
        double otherThreadMicros, double jvmMicros) {

    /** CPU per request, all of it. */
    public double totalMicros() {
        return sdkCallerMicros + sdkBackgroundMicros + emulatorMicros + otherThreadMicros + jvmMicros;
    }

    /** The share of the total spent in the emulator, 0..1. */
    public double emulatorShare() {
        return emulatorMicros / totalMicros();
    }

    /** Groups threads by name and takes CPU snapshots of them. */
    public static final class Meter {
        private final ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        private final com.sun.management.OperatingSystemMXBean os =
                (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        private final String callerPrefix;
        private final String emulatorPrefix;

        /**
         * @param callerPrefix name prefix of the threads that call the SDK
         * @param emulatorPrefix name prefix of the emulator's threads
         */
        public Meter(String callerPrefix, String emulatorPrefix) {
            this.callerPrefix = callerPrefix;
            this.emulatorPrefix = emulatorPrefix;
        }

        /** CPU so far of every live thread (by id) and of the process. */
        public Snapshot snapshot() {
            Map<Long, Long> perThread = new HashMap<>();
            Map<Long, String> names = new HashMap<>();
            for (ThreadInfo info : threads.dumpAllThreads(false, false)) {
                long cpu = threads.getThreadCpuTime(info.getThreadId());
                if (cpu >= 0) {
                    perThread.put(info.getThreadId(), cpu);
                    names.put(info.getThreadId(), info.getThreadName());
                }
            }
            return new Snapshot(os.getProcessCpuTime(), perThread, names);
        }

        /**
         * The CPU spent between two snapshots, per request. A thread that ended in between is not counted by
         * name; its CPU lands in {@code jvmMicros}, so keep the measured threads alive across the window.
         */
        public CpuBreakdown between(Snapshot before, Snapshot after, int requests) {
            long caller = 0;
            long background = 0;
            long emulator = 0;
            long other = 0;
            for (Map.Entry<Long, Long> thread : after.perThread.entrySet()) {
                long spent = thread.getValue() - before.perThread.getOrDefault(thread.getKey(), 0L);
                String name = after.names.get(thread.getKey());
                if (name.startsWith(callerPrefix)) {
                    caller += spent;
                } else if (name.startsWith("OkHttp") || name.startsWith("Okio")) {
                    background += spent;
                } else if (name.startsWith(emulatorPrefix)) {
                    emulator += spent;
                } else {
                    other += spent;
                }
            }
            long jvm = Math.max(0, after.process - before.process - caller - background - emulator - other);
            double perRequest = 1_000.0 * requests;
            return new CpuBreakdown(requests, caller / perRequest, background / perRequest, emulator / perRequest,
                    other / perRequest, jvm / perRequest);
        }
    }

    /** CPU nanoseconds of the process and of each live thread at one instant. */
    public static final class Snapshot {
        private final long process;
        private final Map<Long, Long> perThread;
        private final Map<Long, String> names;

        private Snapshot(long process, Map<Long, Long> perThread, Map<Long, String> names) {
            this.process = process;
            this.perThread = perThread;
            this.names = names;
        }
    }
}
