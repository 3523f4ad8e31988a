/**
 * Deploying definitions to a region: {@link dev.continuity.deploy.AgentRenderer} turns a definition and
 * a region's bindings into the service's agent {@code definition} JSON; {@link
 * dev.continuity.deploy.AgentDeployer} creates a new agent version only when the rendered content's
 * hash differs from the one recorded on the latest deployed version, so deploying twice changes
 * nothing.
 */
package dev.continuity.deploy;
