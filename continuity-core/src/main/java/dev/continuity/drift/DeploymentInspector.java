package dev.continuity.drift;

import java.util.Optional;

/**
 * Reads a region's model deployments: the hook for {@code azure-ai-projects}' deployments client, which
 * lets drift compare the topology's declared model name and version with what each deployment runs.
 * Without one, drift compares agents only.
 */
@FunctionalInterface
public interface DeploymentInspector {

    /** The deployment {@code deploymentName} in {@code region}, or empty when it does not exist. */
    Optional<DeployedModel> deployment(String region, String deploymentName);
}
