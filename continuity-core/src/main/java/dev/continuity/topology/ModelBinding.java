package dev.continuity.topology;

import java.util.Objects;

/**
 * The regional deployment a logical model name maps to.
 *
 * @param deployment the model deployment name in the region's project (what agents reference)
 * @param model the underlying model name (e.g. {@code gpt-4.1-mini}), or null when not declared;
 *     for parity checks between regions
 * @param modelVersion the pinned model version, or null when not declared
 */
public record ModelBinding(String deployment, String model, String modelVersion) {
    /** Validates the deployment. */
    public ModelBinding {
        Objects.requireNonNull(deployment, "deployment");
    }
}
