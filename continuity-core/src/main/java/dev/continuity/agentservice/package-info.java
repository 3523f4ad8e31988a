/**
 * The port to Foundry Agent Service in domain terms: deploy an agent version, create conversations,
 * add and list items, get a response. {@link dev.continuity.agentservice.AgentService} is one
 * region's project; the {@code foundry} sub-package adapts it to the real SDK clients and is, with the
 * client factory, the only place that imports {@code azure-ai-agents} or {@code openai-java}.
 */
package dev.continuity.agentservice;
