package dev.continuity.rehydrate;

import static dev.continuity.rehydrate.TwoRegions.SECONDARY;
import static org.assertj.core.api.Assertions.assertThat;

import com.azure.cosmos.CosmosClient;
import dev.continuity.cosmos.CosmosJournalProvisioner;
import dev.continuity.cosmos.CosmosTurnJournal;
import dev.continuity.journal.TurnJournal;
import dev.continuity.journal.sqlite.SqliteTurnJournal;
import dev.continuity.testsupport.LocalCosmosProcess;
import dev.continuity.testsupport.LocalCosmosServer;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Predicate;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Eager rehydration shared by two application PROCESSES through leases in the journal (a SQLite file both open; the
 * local Cosmos DB compatible server): the first stops in the middle of a chunk, the second joins the run, the first is
 * killed (SIGKILL), the second takes the chunk over once its lease has expired (waiting for it without any sleep in
 * the test), and every conversation ends up in the region exactly once, in the minimal calls of both together.
 */
@Timeout(value = 240, unit = TimeUnit.SECONDS)
class SharedRehydrationAcrossProcessesTest {

    private static final int CONVERSATIONS = 30;
    private static final int CHUNK = 4;
    private static final long LEASE_MILLIS = 5000;

    @TempDir
    Path dir;
    private TwoRegions regions;
    private CosmosClient cosmos;
    private final List<String> keys = new ArrayList<>();
    private final Map<Process, BufferedReader> readers = new HashMap<>();

    @AfterEach
    void stop() {
        if (regions != null) {
            regions.close();
        }
        if (cosmos != null) {
            cosmos.close();
        }
        readers.keySet().forEach(Process::destroyForcibly);
    }

    @ParameterizedTest
    @ValueSource(strings = {"sqlite", "cosmos"})
    void aKilledInstancesChunkIsTakenOverAfterItsLeaseExpiresAndEveryConversationIsReplayedOnce(String store)
            throws Exception {
        String journalSpec = openJournal(store);
        long minimal = 0;
        for (int i = 0; i < CONVERSATIONS; i++) {
            String key = "shared-" + i;
            int items = 1 + (i * 7) % 45;
            regions.conversation(key, "agent-" + (1 + i % 3), items, Set.of());
            keys.add(key);
            minimal += Math.max(1, (items + 19) / 20);
        }
        String endpoint = regions.emulator.region(SECONDARY).projectEndpoint();

        // the first instance replays chunk 0 and the first conversation of chunk 1, then stops in its tracks (its
        // lease renewal still running): chunk 1 is held, three of its conversations not started
        Process first = child(journalSpec, endpoint, "instance-a", 5);
        List<String> firstOutput = readUntil(first, line -> line.equals("HALTED"));
        assertThat(firstOutput).as("the first instance's output").contains("HALTED");
        // the second joins the first's run while the first is alive, then the first is killed (SIGKILL)
        Process second = child(journalSpec, endpoint, "instance-b", 0);
        List<String> output = new ArrayList<>(readUntil(second, line -> line.contains("instance instance-b joined run")));
        first.destroyForcibly();
        assertThat(first.waitFor(30, TimeUnit.SECONDS)).isTrue();
        output.addAll(readUntil(second, line -> false));
        assertThat(second.waitFor(120, TimeUnit.SECONDS)).isTrue();
        assertThat(second.exitValue()).as("the second instance's output: %s", output).isZero();

        String report = output.stream().filter(l -> l.startsWith("REPORT ")).findFirst().orElseThrow(
                () -> new AssertionError("no report in " + output));
        assertThat(output).as("the survivor reports the takeover").contains("TAKEOVER chunk-000000001 instance-a 4");
        assertThat(report).startsWith("REPORT SUCCEEDED ").contains(" takenOver=1 ", " from=instance-a ",
                " chunks=" + (CONVERSATIONS / CHUNK + 1 - 2) + " ");

        // every conversation once, as journaled, in exactly the minimal calls of both instances together
        regions.assertReplayedOnce(keys, SECONDARY, minimal);
    }

    private String openJournal(String store) {
        if (store.equals("sqlite")) {
            Path file = dir.resolve("journal.db");
            regions = new TwoRegions(SqliteTurnJournal.open(file));
            return "sqlite:" + file;
        }
        LocalCosmosServer.Server server = LocalCosmosServer.shared();
        cosmos = server.clientBuilder().buildClient();
        String container = "shared-" + UUID.randomUUID();
        CosmosJournalProvisioner.of(cosmos).provision("continuity", container);
        TurnJournal journal = CosmosTurnJournal.builder().client(cosmos).database("continuity").container(container)
                .build();
        regions = new TwoRegions(journal);
        return "cosmos:" + server.endpoint() + "|continuity|" + container;
    }

    private Process child(String journalSpec, String endpoint, String instance, int haltAfter) throws Exception {
        return new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-D" + LocalCosmosProcess.CERTIFICATE_VALIDATION_PROPERTY + "=true",
                "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn",
                "-Dorg.slf4j.simpleLogger.log.dev.continuity.rehydrate=info",
                "-cp", System.getProperty("java.class.path"), SharedRehydrationChild.class.getName(),
                journalSpec, endpoint, SECONDARY, instance, String.valueOf(CHUNK), String.valueOf(LEASE_MILLIS),
                String.valueOf(haltAfter))
                .redirectErrorStream(true)
                .start();
    }

    /** The child's output up to the first line {@code until} accepts, or to its end. */
    private List<String> readUntil(Process child, Predicate<String> until) throws Exception {
        BufferedReader out = readers.computeIfAbsent(child,
                c -> new BufferedReader(new InputStreamReader(c.getInputStream(), StandardCharsets.UTF_8)));
        List<String> lines = new ArrayList<>();
        String line;
        while ((line = out.readLine()) != null) {
            lines.add(line);
            if (until.test(line)) {
                break;
            }
        }
        return lines;
    }
}
