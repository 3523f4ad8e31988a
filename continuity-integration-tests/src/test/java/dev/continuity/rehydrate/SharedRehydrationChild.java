package dev.continuity.rehydrate;

import com.azure.cosmos.CosmosClient;
import com.azure.cosmos.CosmosClientBuilder;
import dev.continuity.cosmos.CosmosTurnJournal;
import dev.continuity.foundry.FoundryAgentService;
import dev.continuity.foundry.FoundryCredentials;
import dev.continuity.journal.TurnJournal;
import dev.continuity.journal.sqlite.SqliteTurnJournal;
import dev.continuity.testsupport.LocalCosmosServer;
import dev.continuity.topology.ModelBinding;
import dev.continuity.topology.Region;
import dev.continuity.topology.RegionRole;
import dev.continuity.topology.Topology;
import dev.continuity.validation.ValidationOptions;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

/**
 * One application instance of {@link SharedRehydrationAcrossProcessesTest}, run as a child JVM: eagerly rehydrates the
 * region {@code args[2]} from the shared journal with {@link WorkSharing}. With {@code haltAfter > 0} it prints
 * {@code HALTED} after that many conversations and blocks (its lease renewal keeps running) until the parent kills
 * it; otherwise it prints {@code TAKEOVER ...} per chunk taken over and one {@code REPORT ...} line at the end.
 *
 * <p>Arguments: journal ({@code sqlite:<file>} or {@code cosmos:<endpoint>|<database>|<container>}), target project
 * endpoint, region, instance name, chunk size, lease milliseconds, halt after (0: never).
 */
public final class SharedRehydrationChild {

    private SharedRehydrationChild() {
    }

    /** Runs one instance. */
    public static void main(String[] args) throws Exception {
        String journalSpec = args[0];
        String endpoint = args[1];
        String region = args[2];
        String instance = args[3];
        int chunkSize = Integer.parseInt(args[4]);
        Duration lease = Duration.ofMillis(Long.parseLong(args[5]));
        int haltAfter = Integer.parseInt(args[6]);
        CosmosClient cosmos = null;
        TurnJournal journal;
        if (journalSpec.startsWith("sqlite:")) {
            journal = SqliteTurnJournal.open(Path.of(journalSpec.substring("sqlite:".length())));
        } else {
            String[] parts = journalSpec.substring("cosmos:".length()).split("\\|");
            cosmos = new CosmosClientBuilder().endpoint(parts[0]).key(LocalCosmosServer.KEY).gatewayMode()
                    .buildClient();
            journal = CosmosTurnJournal.builder().client(cosmos).database(parts[1]).container(parts[2]).build();
        }
        FoundryAgentService target = FoundryAgentService.connect(region, endpoint,
                FoundryCredentials.forEndpoint(endpoint));
        Topology topology = new Topology(null, Map.of(region, new Region(region, RegionRole.SECONDARY, endpoint,
                Map.of(TwoRegions.LOGICAL_MODEL, new ModelBinding(TwoRegions.DEPLOYMENT, TwoRegions.DEPLOYMENT, null)),
                Map.of(), Map.of())));
        RehydrationReport report = Rehydrator.builder().journal(journal).target(target).topology(topology)
                .definitions(TwoRegions.definitions(3)).mode(RehydrationMode.EAGER).concurrency(1)
                .validation(ValidationOptions.none()).cleanOrphans(false)
                .shareWork(WorkSharing.instance(instance).withChunkSize(chunkSize).withLeaseDuration(lease))
                .listener(event -> {
                    if (event instanceof RehydrationEvent.ConversationsProgress p && haltAfter > 0
                            && p.done() == haltAfter) {
                        System.out.println("HALTED");
                        System.out.flush();
                        try {
                            new CountDownLatch(1).await(); // until killed
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                        }
                    } else if (event instanceof RehydrationEvent.WorkTakenOver t) {
                        System.out.println("TAKEOVER " + t.chunk() + " " + t.previousOwner() + " " + t.conversations());
                        System.out.flush();
                    }
                })
                .build().run();
        WorkShare work = report.work();
        System.out.println("REPORT " + report.status() + " chunks=" + work.chunks() + " takenOver=" + work.takenOver()
                + " from=" + String.join(",", work.takenOverFrom()) + " conversations=" + work.conversations()
                + " writeCalls=" + report.conversations().writeCalls() + " minimal="
                + report.conversations().minimalWriteCalls() + " created=" + report.conversations().created());
        System.out.flush();
        target.clients().close();
        journal.close();
        if (cosmos != null) {
            cosmos.close();
        }
        System.exit(0);
    }
}
