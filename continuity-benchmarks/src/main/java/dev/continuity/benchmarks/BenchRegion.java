package dev.continuity.benchmarks;

import com.openai.core.JsonValue;
import com.openai.models.responses.ResponseCreateParams;
import dev.continuity.client.ContinuityClient;
import dev.continuity.emulator.Emulator;
import dev.continuity.foundry.FoundryAgentService;
import dev.continuity.foundry.FoundryClientFactory;
import dev.continuity.foundry.FoundryClients;
import dev.continuity.foundry.FoundryCredentials;
import dev.continuity.journal.TurnDurability;
import dev.continuity.journal.TurnJournal;
import java.util.Map;

/**
 * One emulated region with the benchmark agent deployed, seen both ways the client benchmarks compare: the bare
 * openai-java client ({@link #bare()}) and a {@link ContinuityClient} over the same region.
 */
final class BenchRegion implements AutoCloseable {
    static final String AGENT = "bench-agent";

    private final Emulator emulator;
    private final FoundryAgentService service;
    private final FoundryClients bare;

    BenchRegion() {
        emulator = Emulator.builder().region("bench").start();
        String endpoint = emulator.region("bench").projectEndpoint();
        service = FoundryAgentService.connect("bench", endpoint, FoundryCredentials.localToken());
        service.createAgentVersion(AGENT, "{\"kind\":\"prompt\",\"model\":\"gpt-4.1-mini\",\"instructions\":\"bench\"}",
                Map.of(), null);
        bare = FoundryClientFactory.builder().endpoint(endpoint).credential(FoundryCredentials.localToken())
                .openAIMaxRetries(0).build();
    }

    /** The bare SDK clients. */
    FoundryClients bare() {
        return bare;
    }

    /** A journaling client on the region, journaling as the journal prefers ({@code durability} null) or as told. */
    ContinuityClient client(TurnJournal journal, TurnDurability durability) {
        ContinuityClient.Builder builder = clientBuilder(journal);
        return (durability == null ? builder : builder.durability(durability)).build();
    }

    /** A builder of journaling clients on the region, for the settings a benchmark adds. */
    ContinuityClient.Builder clientBuilder(TurnJournal journal) {
        return ContinuityClient.builder().journal(journal).region(service);
    }

    /** One step of {@link #interleave}: the same turn on both sides. */
    @FunctionalInterface
    interface Step {
        /**
         * @param conversation the bare side's conversation
         * @param key the client side's conversation key
         * @param text the user message
         * @param measure false in the warm-up round
         */
        void run(String conversation, String key, String text, boolean measure);
    }

    /**
     * Runs {@code turns} turns twice (a warm-up round, then the measured one), a new conversation on each side
     * every 50 turns; each step sends the same turn on both sides, interleaved so that neither gets a warmer JVM
     * or emulator.
     */
    void interleave(ContinuityClient client, int turns, Step step) {
        for (int round = 0; round < 2; round++) {
            String conversation = null;
            String key = null;
            for (int i = 0; i < turns; i++) {
                if (i % 50 == 0) {
                    conversation = bare.openAI().conversations().create(
                            com.openai.models.conversations.ConversationCreateParams.builder().build()).id();
                    key = client.startConversation(AGENT);
                }
                step.run(conversation, key, "remember k" + (i % 7) + "=v" + i, round == 1);
            }
        }
    }

    /** The bare request of one turn: {@code text} to the benchmark agent in {@code conversation}. */
    static ResponseCreateParams turn(String conversation, String text) {
        return ResponseCreateParams.builder().conversation(conversation).input(text)
                .putAdditionalBodyProperty("agent", JsonValue.from(Map.of("type", "agent_reference", "name", AGENT)))
                .build();
    }

    @Override
    public void close() {
        bare.close();
        service.clients().close();
        emulator.close();
    }
}
