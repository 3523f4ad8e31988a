package dev.continuity.emulator.internal;

import java.util.Objects;

/**
 * A model deployment of a region's project, as {@code GET /deployments} reports it.
 *
 * @param name         deployment name (what agents and responses reference)
 * @param modelName    the model it serves
 * @param modelVersion the model version
 * @param sku          the SKU name (e.g. {@code GlobalStandard})
 */
public record DeploymentInfo(String name, String modelName, String modelVersion, String sku) {

    /** Model version of a deployment declared by name only. */
    public static final String DEFAULT_VERSION = "2025-04-14";
    /** SKU of a deployment declared by name only. */
    public static final String DEFAULT_SKU = "GlobalStandard";

    /** Validates the fields. */
    public DeploymentInfo {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(modelName, "modelName");
        Objects.requireNonNull(modelVersion, "modelVersion");
        Objects.requireNonNull(sku, "sku");
    }

    /** A deployment declared by name only: model = name, default version and SKU. */
    public static DeploymentInfo named(String name) {
        return new DeploymentInfo(name, name, DEFAULT_VERSION, DEFAULT_SKU);
    }
}
