package dev.continuity.emulator.internal;

import java.util.List;
import java.util.Objects;

/**
 * A region's identity and model deployments.
 *
 * @param name        region name
 * @param deployments model deployment names available in the region
 */
public record RegionInfo(String name, List<String> deployments) {

    /** Validates and copies. */
    public RegionInfo {
        Objects.requireNonNull(name, "name");
        deployments = List.copyOf(deployments);
    }

    /**
     * Fails with 400 when {@code model} is not deployed in this region.
     *
     * @param param the request field that named the model
     */
    public void checkDeployment(String model, String param) {
        if (!deployments.contains(model)) {
            throw ApiException.badRequest("deployment_not_found", "Model deployment '" + model
                    + "' not found in region " + name + " (deployments: " + String.join(", ", deployments) + ")", param);
        }
    }
}
