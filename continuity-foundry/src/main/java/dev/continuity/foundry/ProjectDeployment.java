package dev.continuity.foundry;

import java.util.Objects;

/**
 * A model deployment as a region's Foundry project reports it ({@code azure-ai-projects}' {@code ModelDeployment}).
 *
 * @param name the deployment name
 * @param model the model it serves
 * @param version the model version, or null when not reported
 * @param sku the SKU name (e.g. {@code GlobalStandard}), or null when not reported
 */
public record ProjectDeployment(String name, String model, String version, String sku) {
    /** Validates the fields. */
    public ProjectDeployment {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(model, "model");
    }
}
