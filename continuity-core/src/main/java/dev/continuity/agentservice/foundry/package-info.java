/**
 * The adapter from the {@link dev.continuity.agentservice.AgentService} port to the real Foundry SDK
 * clients ({@code azure-ai-agents} for agents, {@code openai-java} for conversations and responses),
 * and {@link dev.continuity.agentservice.foundry.FoundryClientFactory}, which builds those clients for a
 * project endpoint without the stock builder's hidden outbound token request; and
 * {@link dev.continuity.agentservice.foundry.FoundryProjectInspector} ({@code azure-ai-projects}: model
 * deployments and connections), with its {@link dev.continuity.agentservice.foundry.ProjectParityCheck}.
 */
package dev.continuity.agentservice.foundry;
