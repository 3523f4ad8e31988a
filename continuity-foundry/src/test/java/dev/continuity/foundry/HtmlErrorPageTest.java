package dev.continuity.foundry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.azure.storage.blob.BlobContainerClientBuilder;
import com.azure.storage.common.policy.RequestRetryOptions;
import com.azure.storage.common.policy.RetryPolicyType;
import com.sun.net.httpserver.HttpServer;
import dev.continuity.ErrorSummary;
import dev.continuity.agentservice.AgentServiceException;
import dev.continuity.journal.TurnItem;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * A gateway in front of every service that answers its own HTML error page (502): every adapter error
 * shows it as one bounded line (status, first words, no tags), never as the raw page.
 */
@Tag("adversarial")
class HtmlErrorPageTest {

    private static final String PAGE = "<!DOCTYPE html>\n<html>\n<head>\n<title>502 Bad Gateway</title>\n"
            + "<style>body { font-family: sans-serif; }</style>\n</head>\n<body>\n<center><h1>502 Bad Gateway</h1>"
            + "</center>\n<hr><center>nginx/1.25.3</center>\n<p>" + "The upstream server did not answer. ".repeat(40)
            + "</p>\n<script>var x = 1;</script>\n</body>\n</html>\n";

    private HttpServer server;
    private String base;

    @BeforeEach
    void start() throws Exception {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> {
            exchange.getRequestBody().readAllBytes();
            byte[] body = PAGE.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "text/html");
            exchange.sendResponseHeaders(502, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        server.start();
        base = "http://127.0.0.1:" + server.getAddress().getPort();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private static void assertOneLine(String message) {
        assertThat(message).doesNotContain("\n", "\r", "<", ">", "font-family", "var x")
                .contains("502").contains("Bad Gateway");
        assertThat(message.length()).as(message).isLessThanOrEqualTo(2 * ErrorSummary.MAX_LENGTH);
    }

    @Test
    void agentServiceErrorsSummariseTheHtmlPage() {
        String endpoint = base + "/api/projects/p";
        FoundryAgentService service = new FoundryAgentService("eastus2", FoundryAgentService.serving(
                FoundryClientFactory.builder().agentsMaxRetries(0), endpoint, FoundryCredentials.forEndpoint(endpoint))
                .build());

        Throwable agents = catchThrowable(service::listAgents);
        assertThat(agents).isInstanceOf(AgentServiceException.class);
        assertOneLine(agents.getMessage());
        assertThat(((AgentServiceException) agents).status()).isEqualTo(502);

        Throwable create = catchThrowable(() -> service.createConversation(List.of(TurnItem.userMessage("hi")),
                Map.of()));
        assertThat(create).isInstanceOf(AgentServiceException.class);
        assertOneLine(create.getMessage());
    }

    @Test
    void blobKnowledgeErrorsSummariseTheHtmlPage() {
        var container = new BlobContainerClientBuilder().endpoint(base + "/account/knowledge")
                .retryOptions(new RequestRetryOptions(RetryPolicyType.FIXED, 1, (Integer) null, null, null, null))
                .buildClient();
        Throwable error = catchThrowable(() -> new BlobKnowledgeSource(container, "docs/").list());
        // azure-storage-blob cannot parse a text/html error body and throws an IllegalStateException without
        // the status: the line names the container and the SDK's words, never the page
        assertThat(error).isInstanceOf(dev.continuity.knowledge.KnowledgeSyncException.class);
        assertThat(error.getMessage()).startsWith("cannot list blob container 'knowledge'")
                .doesNotContain("\n", "<", "nginx", "upstream");
        assertThat(error.getMessage().length()).isLessThanOrEqualTo(2 * ErrorSummary.MAX_LENGTH);
    }
}
