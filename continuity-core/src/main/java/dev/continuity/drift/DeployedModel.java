package dev.continuity.drift;

import java.util.Objects;

/**
 * A model deployment as a region's project reports it.
 *
 * @param deployment the deployment name
 * @param model the model it serves
 * @param version the model version ({@code null} when not reported)
 */
public record DeployedModel(String deployment, String model, String version) {
    /** Validates the fields. */
    public DeployedModel {
        Objects.requireNonNull(deployment, "deployment");
        Objects.requireNonNull(model, "model");
    }
}
