package dev.continuity.foundry;

import com.azure.ai.agents.AgentsClient;
import com.openai.client.OpenAIClient;

/**
 * The two SDK clients an application uses against one Foundry project: {@link AgentsClient} for
 * versioned agents and the OpenAI client for conversations, items and responses.
 *
 * @param projectEndpoint the project endpoint ({@code https://<resource>.services.ai.azure.com/api/projects/<project>})
 * @param agents the agents client
 * @param openAI the OpenAI client rooted at {@code <projectEndpoint>/openai}
 */
public record FoundryClients(String projectEndpoint, AgentsClient agents, OpenAIClient openAI) implements AutoCloseable {

    /** Releases the OpenAI client's connection pool. */
    @Override
    public void close() {
        openAI.close();
    }
}
