package dev.continuity.samples.spring;

import static org.assertj.core.api.Assertions.assertThat;

import dev.continuity.client.ContinuityClient;
import dev.continuity.definition.AgentDefinition;
import dev.continuity.definition.DefinitionLoader;
import dev.continuity.emulator.Emulator;
import dev.continuity.failover.FailoverController;
import dev.continuity.failover.FailoverEvent;
import dev.continuity.foundry.FoundryRegions;
import dev.continuity.journal.Turn;
import dev.continuity.journal.TurnStatus;
import dev.continuity.testsupport.EmulatedTopology;
import dev.continuity.topology.TopologyLoader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.resttestclient.TestRestTemplate;
import org.springframework.boot.resttestclient.autoconfigure.AutoConfigureTestRestTemplate;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ResponseEntity;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The sample app, started by Spring Boot from its {@code application.yml} (only the emulated regions' topology
 * file and a scratch journal are supplied), on a real web port against two emulated regions: Front Door's health
 * group turns {@code DOWN} for the dark primary and reports the new active region once the controller has failed
 * over, and conversations in flight when the primary goes dark carry on in the secondary with every acknowledged
 * turn in the journal.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@AutoConfigureTestRestTemplate
@DirtiesContext
class AgentChatApplicationOutageTest {

    private static final int CONVERSATIONS = 4;
    private static final int TURNS_EACH = 4;

    private static Emulator emulator;
    private static Path directory;

    @Autowired
    private TestRestTemplate http;

    @Autowired
    private FailoverController failover;

    @Autowired
    private ContinuityClient client;

    @DynamicPropertySource
    static void emulatedRegions(DynamicPropertyRegistry registry) throws IOException {
        directory = Files.createTempDirectory("continuity-spring-sample");
        emulator = Emulator.builder().region("eastus2").region("centralus").start();
        Path topology = EmulatedTopology.write(emulator, directory.resolve("topology.json"));
        AgentDefinition triage = new DefinitionLoader().load(EmulatedTopology.shippedAgents()).latest("triage")
                .orElseThrow();
        try (FoundryRegions regions = FoundryRegions.builder(new TopologyLoader().load(topology))
                .regions("eastus2").build()) {
            assertThat(regions.deploy("eastus2", List.of(triage)).succeeded()).isTrue();
        }
        registry.add("continuity.topology", topology::toString);
        registry.add("continuity.agents", () -> EmulatedTopology.shippedAgents().toString());
        registry.add("continuity.journal.sqlite", () -> directory.resolve("journal.db").toString());
    }

    @AfterAll
    static void stopRegions() {
        emulator.close();
    }

    @Test
    void frontDoorHealthGoesDownForTheDarkRegionAndConversationsCarryOnInTheSecondary() throws Exception {
        assertFrontDoorHealth(HttpStatus.OK, "UP", "eastus2", "NORMAL", Map.of("eastus2", "UP", "centralus", "UP"));

        for (int c = 0; c < CONVERSATIONS; c++) {
            assertThat(chat("chat-" + c, "remember colour=c" + c).region()).isEqualTo("eastus2");
        }
        assertThat(chat("chat-0", "call lookup_ticket {\"ticket_id\":\"TCK-1042\"}").text())
                .isEqualTo("lookup_ticket returned: " + AgentChatApplication.TICKET_JSON);

        CompletableFuture<FailoverEvent.RegionDown> primaryDown = new CompletableFuture<>();
        CompletableFuture<FailoverEvent.FailoverCompleted> failedOver = new CompletableFuture<>();
        failover.addListener(event -> {
            if (event instanceof FailoverEvent.RegionDown down && down.region().equals("eastus2")) {
                primaryDown.complete(down);
            } else if (event instanceof FailoverEvent.FailoverCompleted done) {
                failedOver.complete(done);
            }
        });

        // the drill's outage: every conversation is sending when the primary goes dark
        CountDownLatch firstTurnsAcknowledged = new CountDownLatch(CONVERSATIONS);
        ExecutorService senders = Executors.newFixedThreadPool(CONVERSATIONS);
        List<Future<List<ChatController.ChatReply>>> sent = new ArrayList<>();
        try {
            for (int c = 0; c < CONVERSATIONS; c++) {
                String key = "chat-" + c;
                sent.add(senders.submit(() -> {
                    List<ChatController.ChatReply> replies = new ArrayList<>();
                    for (int t = 0; t < TURNS_EACH; t++) {
                        replies.add(chat(key, "remember note" + t + "=n" + t));
                        if (t == 0) {
                            firstTurnsAcknowledged.countDown();
                        }
                    }
                    return replies;
                }));
            }
            assertThat(firstTurnsAcknowledged.await(60, TimeUnit.SECONDS)).isTrue();
            emulator.region("eastus2").faults().outage();

            assertThat(primaryDown.get(60, TimeUnit.SECONDS).region()).isEqualTo("eastus2");
            assertThat(failedOver.get(60, TimeUnit.SECONDS).to()).isEqualTo("centralus");

            assertFrontDoorHealth(HttpStatus.SERVICE_UNAVAILABLE, "DOWN", "centralus", "FAILED_OVER",
                    Map.of("eastus2", "DOWN", "centralus", "UP"));

            Map<String, Object> status = get("/actuator/continuity", HttpStatus.OK);
            assertThat(status).containsEntry("activeRegion", "centralus").containsEntry("primary", "eastus2");
            @SuppressWarnings("unchecked")
            Map<String, Map<String, Object>> regions = (Map<String, Map<String, Object>>) status.get("regions");
            assertThat(regions.get("eastus2")).containsEntry("probe", "DOWN").containsEntry("active", false)
                    .containsEntry("lastEvent", "RegionDown");
            assertThat(regions.get("centralus")).containsEntry("probe", "UP").containsEntry("active", true);

            for (int c = 0; c < CONVERSATIONS; c++) {
                String key = "chat-" + c;
                List<ChatController.ChatReply> replies = sent.get(c).get(120, TimeUnit.SECONDS);
                ChatController.ChatReply recalled = chat(key, "recall colour");
                assertThat(recalled.region()).isEqualTo("centralus");
                assertThat(recalled.text()).isEqualTo("colour is c" + c + ".");
                // nothing acknowledged is lost: every answer the app returned is a committed turn of the journal,
                // served where the reply said
                List<Turn> journaled = client.history(key);
                for (ChatController.ChatReply reply : replies) {
                    assertThat(journaled).filteredOn(turn -> turn.sequence() == reply.sequence()).singleElement()
                            .satisfies(turn -> {
                                assertThat(turn.status()).isEqualTo(TurnStatus.COMMITTED);
                                assertThat(turn.region()).isEqualTo(reply.region());
                            });
                }
                assertThat(journaled).allMatch(turn -> turn.status() == TurnStatus.COMMITTED);
            }
        } finally {
            senders.shutdownNow();
        }
    }

    private ChatController.ChatReply chat(String key, String message) {
        ResponseEntity<ChatController.ChatReply> reply = http.postForEntity("/conversations/" + key + "/messages",
                new ChatController.ChatRequest(message), ChatController.ChatReply.class);
        assertThat(reply.getStatusCode()).as("POST %s: %s", key, message).isEqualTo(HttpStatus.OK);
        return reply.getBody();
    }

    /**
     * Front Door's health path of this instance (fronting eastus2): the status code of a GET and of a HEAD (Front
     * Door's default probe, read by status code alone), and the continuity indicator's details.
     */
    @SuppressWarnings("unchecked")
    private void assertFrontDoorHealth(HttpStatus code, String status, String activeRegion, String state,
            Map<String, String> regions) {
        Map<String, Object> health = get("/actuator/health/frontdoor", code);
        assertThat(frontDoorProbe()).isEqualTo(code);
        assertThat(health).containsEntry("status", status);
        Map<String, Object> components = (Map<String, Object>) health.get("components");
        assertThat((Map<String, Object>) ((Map<String, Object>) components.get("continuity")).get("details"))
                .containsEntry("activeRegion", activeRegion).containsEntry("frontedRegion", "eastus2")
                .containsEntry("state", state).containsEntry("regions", regions);
    }

    /** Front Door's default probe: HEAD on the health path, read by status code alone. */
    private HttpStatusCode frontDoorProbe() {
        return http.exchange("/actuator/health/frontdoor", HttpMethod.HEAD, null, Void.class).getStatusCode();
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> get(String path, HttpStatus expected) {
        ResponseEntity<Map> response = http.getForEntity(path, Map.class);
        assertThat(response.getStatusCode()).as("GET %s", path).isEqualTo(expected);
        return response.getBody();
    }
}
