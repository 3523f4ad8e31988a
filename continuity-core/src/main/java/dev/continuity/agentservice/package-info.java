/**
 * The port to Foundry Agent Service in domain terms: deploy an agent version, create conversations,
 * add and list items, get a response. {@link dev.continuity.agentservice.AgentService} is one
 * region's project; the {@code continuity-foundry} module ({@code dev.continuity.foundry}) adapts it to the
 * real SDK clients and is the only module that imports {@code azure-ai-agents} or {@code openai-java}.
 */
package dev.continuity.agentservice;
