package dev.continuity.foundry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.continuity.client.TurnResult;
import dev.continuity.definition.AgentDefinition;
import dev.continuity.emulator.Emulator;
import dev.continuity.failover.FailoverEvent;
import dev.continuity.failover.FailoverState;
import dev.continuity.failover.ProbeSettings;
import dev.continuity.journal.Turn;
import dev.continuity.journal.TurnStatus;
import dev.continuity.journal.memory.InMemoryTurnJournal;
import dev.continuity.topology.Topology;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/** {@link ContinuityStack} over two emulated regions: a turn, a failover, closing. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ContinuityStackTest {

    private static final ProbeSettings QUICK_PROBES = ProbeSettings.every(Duration.ofMillis(500));

    @TempDir
    Path dir;

    private Emulator emulator;
    private Topology topology;
    private final List<AgentDefinition> agents = List.of(Emulated.agent("policy-bot"));
    private final InMemoryTurnJournal journal = new InMemoryTurnJournal();

    @BeforeEach
    void startRegions() throws IOException {
        emulator = Emulator.builder().region("eastus2").region("centralus").start();
        topology = Emulated.deployedInPrimary(emulator, dir, agents);
    }

    @AfterEach
    void stopRegions() {
        journal.close();
        emulator.close();
    }

    @Test
    void theStackServesAJournaledTurnInThePrimary() {
        try (ContinuityStack stack = FoundryRegions.connect(topology).stack(journal, agents).probes(QUICK_PROBES)
                .start()) {
            stack.client().startConversation("c-1", "policy-bot", null);

            TurnResult result = stack.client().send("c-1", "remember a=1");

            assertThat(result.region()).isEqualTo("eastus2");
            assertThat(result.text()).isEqualTo("OK, I will remember a.");
            assertThat(stack.failover().current()).isEqualTo("eastus2");
            assertThat(stack.failover().state()).isEqualTo(FailoverState.NORMAL);
            assertThat(journal.read("c-1", 1)).extracting(Turn::status).containsExactly(TurnStatus.COMMITTED);
        }
    }

    @Test
    void theAsyncClientIsTheSameClientRunOnTheConfiguredScheduler() {
        Scheduler scheduler = Schedulers.newBoundedElastic(2, 100, "stack-async");
        try (ContinuityStack stack = FoundryRegions.connect(topology).stack(journal, agents).probes(QUICK_PROBES)
                .configureClient(client -> client.asyncScheduler(scheduler)).start()) {
            stack.client().startConversation("c-4", "policy-bot", null);
            stack.client().send("c-4", "remember a=1");
            AtomicReference<String> thread = new AtomicReference<>();

            TurnResult recalled = stack.asyncClient().send("c-4", "recall a")
                    .doOnNext(r -> thread.set(Thread.currentThread().getName())).block();

            assertThat(recalled.text()).isEqualTo("a is 1.");
            assertThat(recalled.sequence()).isEqualTo(2);
            assertThat(thread.get()).startsWith("stack-async");
            assertThat(stack.asyncClient().syncClient()).isSameAs(stack.client());
            assertThat(journal.read("c-4", 1)).extracting(Turn::status)
                    .containsExactly(TurnStatus.COMMITTED, TurnStatus.COMMITTED);
        } finally {
            scheduler.dispose();
        }
    }

    @Test
    void forgetErasesTheConversationInTheJournalAndTheRegionAndTheClientRefusesItsKey() {
        try (ContinuityStack stack = FoundryRegions.connect(topology).stack(journal, agents).probes(QUICK_PROBES)
                .start()) {
            stack.client().startConversation("c-9", "policy-bot", null);
            stack.client().send("c-9", "remember a=1");
            String regional = journal.head("c-9").orElseThrow().region("eastus2").conversationId();

            dev.continuity.erasure.ErasureReport report = stack.forget("c-9");

            assertThat(report.turnsDeleted()).isEqualTo(1);
            assertThat(report.clean()).isTrue();
            assertThat(report.regions()).singleElement().satisfies(r -> {
                assertThat(r.region()).isEqualTo("eastus2");
                assertThat(r.conversationId()).isEqualTo(regional);
                assertThat(r.outcome()).isEqualTo(dev.continuity.erasure.RegionErasure.Outcome.ERASED);
            });
            assertThat(stack.regions().service("eastus2").deleteConversation(regional)).isFalse();
            assertThat(journal.read("c-9", 1)).isEmpty();
            assertThatThrownBy(() -> stack.client().send("c-9", "recall a"))
                    .isInstanceOf(dev.continuity.journal.ConversationForgottenException.class)
                    .hasMessageContaining("'c-9'");
        }
    }

    @Test
    void closingStopsTheControllerAndClosesEveryClient() throws Exception {
        ContinuityStack stack = FoundryRegions.connect(topology).stack(journal, agents).probes(QUICK_PROBES).start();
        FoundryRegions regions = stack.regions();
        List<FoundryClients> clients = List.of(regions.clients("eastus2"), regions.clients("centralus"));
        assertThat(clients).allSatisfy(c -> assertThat(Emulated.acceptsCalls(c)).isTrue());

        stack.close();
        stack.close(); // twice is harmless

        assertThat(stack.failover().state()).isEqualTo(FailoverState.STOPPED);
        for (FoundryClients c : clients) {
            assertThat(Emulated.acceptsCalls(c)).as("%s after close", c.projectEndpoint()).isFalse();
        }
        assertThatThrownBy(() -> regions.service("eastus2")).isInstanceOf(IllegalStateException.class);
        assertThat(journal.read("c-0", 1)).isEmpty(); // the journal is the application's: still open
    }

    @Test
    void theConversationCarriesOnInTheSecondaryWhenThePrimaryGoesDark() throws Exception {
        CompletableFuture<FailoverEvent.FailoverCompleted> failedOver = new CompletableFuture<>();
        try (ContinuityStack stack = FoundryRegions.connect(topology).stack(journal, agents).probes(QUICK_PROBES)
                .eagerReplay(false)
                .listener(event -> {
                    if (event instanceof FailoverEvent.FailoverCompleted done) {
                        failedOver.complete(done);
                    }
                })
                .start()) {
            stack.client().startConversation("c-2", "policy-bot", null);
            assertThat(stack.client().send("c-2", "remember a=1").region()).isEqualTo("eastus2");

            emulator.region("eastus2").faults().outage();
            FailoverEvent.FailoverCompleted done = failedOver.get(60, TimeUnit.SECONDS);
            TurnResult recalled = stack.client().send("c-2", "recall a");

            assertThat(done.from()).isEqualTo("eastus2");
            assertThat(done.to()).isEqualTo("centralus");
            assertThat(recalled.region()).isEqualTo("centralus");
            assertThat(recalled.text()).isEqualTo("a is 1.");
            assertThat(stack.failover().state()).isEqualTo(FailoverState.FAILED_OVER);
            assertThat(stack.failover().isDown("eastus2")).isTrue();
            assertThat(journal.head("c-2").orElseThrow().region("centralus").replayedThrough()).isEqualTo(2);
        }
    }

    @Test
    void aDecoratedRegionThatFailsEveryCallIsFailedOverLikeADarkOne() throws Exception {
        Partition partition = new Partition("eastus2");
        CompletableFuture<FailoverEvent.FailoverCompleted> failedOver = new CompletableFuture<>();
        FoundryRegions regions = FoundryRegions.builder(topology).decorator(partition::decorate).build();
        try (ContinuityStack stack = regions.stack(journal, agents).probes(QUICK_PROBES)
                .listener(event -> {
                    if (event instanceof FailoverEvent.FailoverCompleted done) {
                        failedOver.complete(done);
                    }
                })
                .functionHandler("unused", args -> "{}")
                .configureClient(client -> client.failoverWait(Duration.ofSeconds(60)))
                .start()) {
            stack.client().startConversation("c-3", "policy-bot", null);
            assertThat(stack.client().send("c-3", "remember city=Lisbon").region()).isEqualTo("eastus2");

            partition.sever(); // the region itself stays up: only the decorated services fail

            assertThat(failedOver.get(60, TimeUnit.SECONDS).to()).isEqualTo("centralus");
            TurnResult recalled = stack.client().send("c-3", "recall city");
            assertThat(recalled.region()).isEqualTo("centralus");
            assertThat(recalled.text()).isEqualTo("city is Lisbon.");
            assertThat(emulator.region("eastus2").faults().isDark()).isFalse();
        }
    }

    @Test
    void aStackThatCannotStartClosesTheRegions() {
        FoundryRegions one = FoundryRegions.builder(topology).regions("eastus2").build();

        assertThatThrownBy(() -> one.stack(journal, agents).probes(QUICK_PROBES).start())
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("failover needs at least two regions");
        assertThatThrownBy(() -> one.service("eastus2")).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("closed");
    }
}
