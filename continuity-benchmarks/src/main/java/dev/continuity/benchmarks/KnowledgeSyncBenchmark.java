package dev.continuity.benchmarks;

import dev.continuity.emulator.Emulator;
import dev.continuity.foundry.FoundryAgentService;
import dev.continuity.foundry.FoundryCredentials;
import dev.continuity.foundry.FoundryKnowledgeService;
import dev.continuity.knowledge.FileKnowledgeSync;
import dev.continuity.knowledge.KnowledgeSource;
import dev.continuity.knowledge.KnowledgeSyncReport;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Knowledge sync benchmark (not a unit test): {@code files} files of {@code kb} KB synced into an
 * emulated region through the real openai-java adapter, then re-synced with no change (must upload
 * nothing) and with {@code changed} changed files (must upload exactly those). Uploads are counted by
 * the emulator ({@code files.create}). The source is held in memory, so blob reads are not part of
 * the times (the Azurite-backed path is covered by {@code KnowledgeSyncTest}). A throw-away warm-up
 * sync runs first in another region (openai-java's first calls are slow).
 *
 * <pre>
 * java -cp "$(cat continuity-cli/target/runtime-classpath.txt):continuity-cli/target/classes" \
 *     dev.continuity.benchmarks.KnowledgeSyncBenchmark [files=200] [kb=50] [changed=10] [concurrency=4]
 * </pre>
 */
public final class KnowledgeSyncBenchmark {

    private static final String REGION = "bench";
    private static final String WARMUP_REGION = "warmup";

    /**
     * One measured sync.
     *
     * @param label what was synced
     * @param millis wall time
     * @param uploads {@code files.create} calls the region received
     * @param report the sync's report
     */
    public record Step(String label, long millis, long uploads, KnowledgeSyncReport report) {
    }

    private KnowledgeSyncBenchmark() {
    }

    /** Runs the benchmark and prints one line per step. */
    public static void main(String[] args) {
        int files = args.length > 0 ? Integer.parseInt(args[0]) : 200;
        int kb = args.length > 1 ? Integer.parseInt(args[1]) : 50;
        int changed = args.length > 2 ? Integer.parseInt(args[2]) : 10;
        int concurrency = args.length > 3 ? Integer.parseInt(args[3]) : 4;
        List<Step> steps = run(files, kb, changed, concurrency);
        print(System.out, files, kb, changed, concurrency, steps);
        boolean ok = steps.get(0).uploads() == files && steps.get(1).uploads() == 0 && steps.get(2).uploads() == changed;
        System.exit(ok ? 0 : 1);
    }

    /** Runs the three syncs (initial, unchanged, {@code changed} changed) and returns them. */
    public static List<Step> run(int files, int kb, int changed, int concurrency) {
        try (Emulator emulator = Emulator.builder().region(WARMUP_REGION).region(REGION).start()) {
            MemorySource warm = new MemorySource(Math.min(files, 50), kb);
            new FileKnowledgeSync(connect(emulator, WARMUP_REGION), concurrency).sync("warmup", warm);
            warm.change(10);
            new FileKnowledgeSync(connect(emulator, WARMUP_REGION), concurrency).sync("warmup", warm);

            FileKnowledgeSync sync = new FileKnowledgeSync(connect(emulator, REGION), concurrency);
            MemorySource source = new MemorySource(files, kb);
            List<Step> steps = new ArrayList<>();
            steps.add(measure(emulator, sync, source, "initial sync of " + files + " files"));
            steps.add(measure(emulator, sync, source, "re-sync, nothing changed"));
            source.change(changed);
            steps.add(measure(emulator, sync, source, "re-sync, " + changed + " files changed"));
            return steps;
        }
    }

    private static Step measure(Emulator emulator, FileKnowledgeSync sync, KnowledgeSource source, String label) {
        emulator.region(REGION).resetOperationCounts();
        long started = System.nanoTime();
        KnowledgeSyncReport report = sync.sync("handbook", source);
        long millis = (System.nanoTime() - started) / 1_000_000;
        return new Step(label, millis, emulator.region(REGION).operationCounts().get("files.create"), report);
    }

    /** Prints the results. */
    public static void print(PrintStream out, int files, int kb, int changed, int concurrency, List<Step> steps) {
        out.printf("knowledge sync: %d files x %d KB, %d in flight%n", files, kb, concurrency);
        for (Step step : steps) {
            out.printf("  %-34s %6d ms  uploads %4d  (added %d, replaced %d, removed %d, unchanged %d)%n", step.label(),
                    step.millis(), step.uploads(), step.report().added().size(), step.report().replaced().size(),
                    step.report().removed().size(), step.report().unchanged());
        }
    }

    private static FoundryKnowledgeService connect(Emulator emulator, String region) {
        String endpoint = emulator.region(region).projectEndpoint();
        FoundryAgentService service = FoundryAgentService.connect(region, endpoint, FoundryCredentials.forEndpoint(endpoint));
        return new FoundryKnowledgeService(region, service.clients());
    }

    /** Files {@code doc-NNNN.txt} of a given size, held in memory. */
    private static final class MemorySource implements KnowledgeSource {
        private final Map<String, byte[]> files = new ConcurrentHashMap<>();

        MemorySource(int count, int kb) {
            for (int i = 0; i < count; i++) {
                files.put(String.format("doc-%04d.txt", i), content(i, 0, kb));
            }
        }

        void change(int count) {
            List<String> paths = list();
            for (int i = 0; i < count && i < paths.size(); i++) {
                byte[] old = files.get(paths.get(i));
                files.put(paths.get(i), content(i, 1, old.length / 1024));
            }
        }

        private static byte[] content(int index, int revision, int kb) {
            byte[] line = ("document " + index + " revision " + revision + " lorem ipsum dolor sit amet\n")
                    .getBytes(StandardCharsets.UTF_8);
            byte[] out = new byte[kb * 1024];
            for (int i = 0; i < out.length; i++) {
                out[i] = line[i % line.length];
            }
            return out;
        }

        @Override
        public String describe() {
            return "memory";
        }

        @Override
        public List<String> list() {
            String[] paths = files.keySet().toArray(String[]::new);
            Arrays.sort(paths);
            return List.of(paths);
        }

        @Override
        public byte[] read(String path) {
            return files.get(path);
        }
    }
}
