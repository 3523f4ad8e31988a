/**
 * The adapter from the {@link dev.continuity.agentservice.AgentService} port to the real Foundry SDK
 * clients ({@code azure-ai-agents} for agents, {@code openai-java} for conversations and responses),
 * and {@link dev.continuity.foundry.FoundryClientFactory}, which builds those clients for a
 * project endpoint without the stock builder's hidden outbound token request; and
 * {@link dev.continuity.foundry.FoundryProjectInspector} ({@code azure-ai-projects}: model
 * deployments and connections), with its {@link dev.continuity.foundry.ProjectParityCheck}.
 *
 * <p>The assembly point an application calls: {@link dev.continuity.foundry.FoundryRegions} connects a
 * topology's regions (one {@code FoundryAgentService} each, health probes without SDK retries), and
 * {@link dev.continuity.foundry.ContinuityStack} runs a journaling client and a failover controller over them.
 * {@link dev.continuity.foundry.FoundryClientOptions} (azure-core {@code HttpClient}, {@code HttpLogOptions},
 * {@code ClientOptions}, {@code ProxyOptions}, {@code RetryOptions}) reaches every SDK client they build.
 */
package dev.continuity.foundry;
