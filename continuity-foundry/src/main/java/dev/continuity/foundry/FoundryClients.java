package dev.continuity.foundry;

import com.azure.ai.agents.AgentsClient;
import com.azure.core.http.HttpPipeline;
import com.openai.client.OpenAIClient;

/**
 * The two SDK clients an application uses against one Foundry project: {@link AgentsClient} for
 * versioned agents and the OpenAI client for conversations, items and responses.
 *
 * @param projectEndpoint the project endpoint ({@code https://<resource>.services.ai.azure.com/api/projects/<project>})
 * @param agents the agents client
 * @param openAI the OpenAI client rooted at {@code <projectEndpoint>/openai}
 * @param pipeline the agents client's azure-core pipeline (retries, bearer token, endpoint guard), for the
 *     spec's operations neither SDK has (for example {@code listConversations}); null when not built by
 *     {@link FoundryClientFactory}
 */
public record FoundryClients(String projectEndpoint, AgentsClient agents, OpenAIClient openAI, HttpPipeline pipeline)
        implements AutoCloseable {

    /** Clients without a raw pipeline (operations that need it fail with {@link IllegalStateException}). */
    public FoundryClients(String projectEndpoint, AgentsClient agents, OpenAIClient openAI) {
        this(projectEndpoint, agents, openAI, null);
    }

    /** Releases the OpenAI client's connection pool. */
    @Override
    public void close() {
        openAI.close();
    }
}
