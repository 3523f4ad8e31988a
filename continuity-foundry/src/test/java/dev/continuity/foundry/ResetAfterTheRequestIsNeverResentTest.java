package dev.continuity.foundry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.azure.core.http.HttpClient;
import dev.continuity.agentservice.AgentServiceException;
import dev.continuity.journal.TurnItem;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A write that reached the service and lost its answer with its connection (reset after the request was read)
 * is sent once and reported ambiguous: the HTTP client underneath never sends it again by itself. OkHttp does by
 * default on a pooled connection ({@code retryOnConnectionFailure}): the service then holds the items twice, or
 * the caller is told the connection was refused and takes the write for one that never landed. Nor does it follow
 * a redirect or obey a 503's immediate {@code Retry-After: 0} by sending the write again.
 */
class ResetAfterTheRequestIsNeverResentTest {

    private ServerSocket server;
    private final AtomicInteger posts = new AtomicInteger();
    /** When set, the server resets each connection right after answering a GET (the peer closing it idle). */
    private volatile boolean resetAfterGet;
    private final CountDownLatch getAnsweredAndReset = new CountDownLatch(1);
    /** When set, every POST is answered with this status line and headers (no body) instead of a reset. */
    private volatile String postAnswer;
    private String endpoint;

    @BeforeEach
    void start() throws IOException {
        server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread accept = new Thread(() -> {
            try {
                while (true) {
                    Socket socket = server.accept();
                    Thread serve = new Thread(() -> serve(socket), "reset-after-post-connection");
                    serve.setDaemon(true);
                    serve.start();
                }
            } catch (IOException closed) {
                // the test is over
            }
        }, "reset-after-post-accept");
        accept.setDaemon(true);
        accept.start();
        endpoint = "http://127.0.0.1:" + server.getLocalPort() + "/api/projects/p";
    }

    @AfterEach
    void stop() throws IOException {
        server.close();
    }

    /**
     * Answers every GET with an empty item list (keeping the connection), and reads every POST whole, then
     * resets the connection without an answer: the write landed, its answer is lost.
     */
    private void serve(Socket socket) {
        try (socket) {
            BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(),
                    StandardCharsets.ISO_8859_1));
            OutputStream out = socket.getOutputStream();
            while (true) {
                String line = in.readLine();
                if (line == null) {
                    return;
                }
                boolean post = line.startsWith("POST ");
                int length = 0;
                while (!(line = in.readLine()).isEmpty()) {
                    if (line.toLowerCase(Locale.ROOT).startsWith("content-length:")) {
                        length = Integer.parseInt(line.substring("content-length:".length()).trim());
                    }
                }
                for (int i = 0; i < length; i++) {
                    in.read();
                }
                if (post) {
                    posts.incrementAndGet();
                }
                String answer = postAnswer;
                if (post && answer != null) {
                    out.write((answer + "\r\nContent-Length: 0\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
                    out.flush();
                    continue;
                }
                if (post && !resetAfterGet) {
                    socket.setSoLinger(true, 0);
                    return; // closing with linger 0 resets the connection
                }
                byte[] body = "{\"object\":\"list\",\"data\":[],\"first_id\":null,\"last_id\":null,\"has_more\":false}"
                        .getBytes(StandardCharsets.UTF_8);
                out.write(("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: " + body.length
                        + "\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
                out.write(body);
                out.flush();
                if (!post && resetAfterGet) {
                    socket.setSoLinger(true, 0);
                    socket.close();
                    getAnsweredAndReset.countDown();
                    return;
                }
            }
        } catch (IOException e) {
            // the client went away
        }
    }

    private FoundryAgentService service(String transport) {
        FoundryClientFactory factory = FoundryClientFactory.builder().openAIMaxRetries(0);
        if (transport.equals("azure-core")) {
            factory.options(FoundryClientOptions.builder().httpClient(HttpClient.createDefault()).build());
        }
        return new FoundryAgentService("eastus2",
                FoundryAgentService.serving(factory, endpoint, FoundryCredentials.forEndpoint(endpoint)).build());
    }

    @ParameterizedTest(name = "transport: {0}")
    @ValueSource(strings = {"default (OkHttp)", "azure-core"})
    void aWriteOnAPooledConnectionThePeerHadResetGoesOutOnceOnANewConnection(String transport) throws Exception {
        resetAfterGet = true;
        FoundryAgentService service = service(transport);
        try {
            assertThat(service.listItems("conv_1")).isEmpty();
            assertThat(getAnsweredAndReset.await(10, TimeUnit.SECONDS)).isTrue();

            // the pooled connection is dead before the write: it cannot leave whole, so nothing can have landed
            service.addItems("conv_1", List.of(TurnItem.userMessage("hi")));

            assertThat(posts.get()).as("POSTs the service received").isEqualTo(1);
        } finally {
            service.clients().close();
        }
    }

    @ParameterizedTest(name = "transport: {0}")
    @ValueSource(strings = {"default (OkHttp)", "azure-core"})
    void aWriteAnswered503WithRetryAfterZeroIsSentOnceAndTheDelayReachesTheCaller(String transport) {
        postAnswer = "HTTP/1.1 503 Service Unavailable\r\nRetry-After: 0";
        FoundryAgentService service = service(transport);
        try {
            // OkHttp obeys an immediate Retry-After by sending the request again, whatever its retry setting says
            Throwable failure = catchThrowable(() -> service.addItems("conv_1", List.of(TurnItem.userMessage("hi"))));

            assertThat(failure).isInstanceOfSatisfying(AgentServiceException.class, e -> {
                assertThat(e.kind()).isEqualTo(AgentServiceException.Kind.SERVICE_ERROR);
                assertThat(e.retryAfterMillis()).as("the service's delay").isZero();
            });
            assertThat(posts.get()).as("POSTs the service received").isEqualTo(1);
        } finally {
            service.clients().close();
        }
    }

    @ParameterizedTest(name = "transport: {0}")
    @ValueSource(strings = {"default (OkHttp)", "azure-core"})
    void aRedirectIsNotFollowed(String transport) {
        postAnswer = "HTTP/1.1 307 Temporary Redirect\r\nLocation: " + endpoint + "/openai/v1/conversations/conv_2/items";
        FoundryAgentService service = service(transport);
        try {
            Throwable failure = catchThrowable(() -> service.addItems("conv_1", List.of(TurnItem.userMessage("hi"))));

            assertThat(failure).isInstanceOf(AgentServiceException.class);
            assertThat(posts.get()).as("POSTs the service received").isEqualTo(1);
        } finally {
            service.clients().close();
        }
    }

    @ParameterizedTest(name = "transport: {0}")
    @ValueSource(strings = {"default (OkHttp)", "azure-core"})
    void anAddItemsCallResetAfterItLandedIsSentOnceAndReportedAmbiguous(String transport) {
        FoundryAgentService service = service(transport);
        try {
            // a GET first: the POST then goes out on a pooled connection, the case OkHttp retries by default
            assertThat(service.listItems("conv_1")).isEmpty();

            Throwable failure = catchThrowable(() -> service.addItems("conv_1", List.of(TurnItem.userMessage("hi"))));

            assertThat(failure).isInstanceOfSatisfying(AgentServiceException.class,
                    e -> assertThat(e.ambiguous()).as("ambiguous: %s", e.getMessage()).isTrue());
            assertThat(posts.get()).as("POSTs the service received").isEqualTo(1);

            Throwable create = catchThrowable(() -> service.createConversation(List.of(TurnItem.userMessage("hi")),
                    Map.of()));
            assertThat(create).isInstanceOfSatisfying(AgentServiceException.class,
                    e -> assertThat(e.ambiguous()).isTrue());
            assertThat(posts.get()).isEqualTo(2);
        } finally {
            service.clients().close();
        }
    }
}
