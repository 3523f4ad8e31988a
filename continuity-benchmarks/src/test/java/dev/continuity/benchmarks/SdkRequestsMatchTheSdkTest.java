package dev.continuity.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import com.openai.models.conversations.ConversationCreateParams;
import com.openai.models.responses.EasyInputMessage;
import com.openai.models.responses.ResponseInputItem;
import dev.continuity.agentservice.AgentReference;
import dev.continuity.agentservice.TurnOptions;
import dev.continuity.foundry.FoundryAgentService;
import dev.continuity.journal.TurnItem;
import dev.continuity.foundry.FoundryClientFactory;
import dev.continuity.foundry.FoundryClients;
import dev.continuity.foundry.FoundryCredentials;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * The load generator of {@code bench emulator-server} sends the library's calls exactly as they reach the service:
 * a turn as {@code FoundryAgentService.respond} sends it through openai-java (built by {@code FoundryClientFactory}),
 * a conversation as openai-java creates it; the same request line, headers and body, byte for byte, captured on a
 * loopback socket.
 */
class SdkRequestsMatchTheSdkTest {

    @Test
    void aTurnIsTheLibrarysResponsesCallByteForByte() throws Exception {
        String[] sent = captureFromSdk(sdk -> new FoundryAgentService("bench", sdk).respond(
                new AgentReference("bench-agent", null), "conv_0123456789abcdef",
                List.of(TurnItem.userMessage("remember k3=v")), TurnOptions.NONE));

        String generated = new String(SdkRequests.to(sent[0]).responsesCreate("conv_0123456789abcdef", "remember k3=v",
                "bench-agent"), StandardCharsets.ISO_8859_1);

        assertThat(generated).isEqualTo(sent[1]);
    }

    @Test
    void aConversationWithMessagesIsTheSdksConversationsCallByteForByte() throws Exception {
        List<ResponseInputItem> items = List.of(message(EasyInputMessage.Role.USER, "first words"),
                message(EasyInputMessage.Role.ASSISTANT, "an answer"), message(EasyInputMessage.Role.USER, "more"));
        String[] sent = captureFromSdk(sdk -> sdk.openAI().conversations().create(
                ConversationCreateParams.builder().items(items).build()));

        String generated = new String(SdkRequests.to(sent[0]).conversationsCreate("first words", "an answer", "more"),
                StandardCharsets.ISO_8859_1);

        assertThat(generated).isEqualTo(sent[1]);
    }

    private static ResponseInputItem message(EasyInputMessage.Role role, String text) {
        return ResponseInputItem.ofEasyInputMessage(EasyInputMessage.builder().role(role).content(text).build());
    }

    /**
     * Runs one SDK call against a loopback socket that reads the request and closes (the SDK, without retries,
     * then fails the call); returns the project endpoint and the request's bytes.
     */
    private static String[] captureFromSdk(Consumer<FoundryClients> call) throws Exception {
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            String endpoint = "http://127.0.0.1:" + server.getLocalPort() + "/api/projects/bench";
            AtomicReference<Throwable> outcome = new AtomicReference<>();
            try (FoundryClients sdk = FoundryClientFactory.builder().endpoint(endpoint)
                    .credential(FoundryCredentials.localToken()).openAIMaxRetries(0).build()) {
                Thread caller = new Thread(() -> {
                    try {
                        call.accept(sdk);
                    } catch (RuntimeException e) {
                        outcome.set(e);
                    }
                });
                caller.start();
                String request;
                try (Socket socket = server.accept()) {
                    socket.setSoTimeout(30_000);
                    request = readRequest(socket.getInputStream());
                }
                caller.join();
                assertThat(outcome.get()).as("the SDK's call fails once the socket closes unanswered").isNotNull();
                return new String[] {endpoint, request};
            }
        }
    }

    /** One HTTP/1.1 request: head up to the blank line, then Content-Length bytes of body. */
    private static String readRequest(InputStream in) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        while (!bytes.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("the SDK closed the connection inside the head: " + bytes);
            }
            bytes.write(b);
        }
        String head = bytes.toString(StandardCharsets.ISO_8859_1);
        int length = head.lines().filter(line -> line.regionMatches(true, 0, "Content-Length:", 0, 15))
                .mapToInt(line -> Integer.parseInt(line.substring(15).trim())).findFirst().orElse(0);
        bytes.write(in.readNBytes(length));
        return bytes.toString(StandardCharsets.ISO_8859_1);
    }
}
