package dev.continuity.emulator;

import dev.continuity.emulator.internal.ConnectionInfo;
import dev.continuity.emulator.internal.DeploymentInfo;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/** Configures and starts an {@link Emulator}. */
public final class EmulatorBuilder {

    /** Deployments of a region unless {@link #deployments(String, String...)} replaces them. */
    public static final List<String> DEFAULT_DEPLOYMENTS = List.of("gpt-4.1-mini", "gpt-4o-mini");

    private static final Pattern REGION_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]*");

    private final Map<String, Integer> ports = new LinkedHashMap<>();
    private final Map<String, List<String>> deployments = new LinkedHashMap<>();
    private final Map<String, Map<String, DeploymentInfo>> deploymentDetails = new LinkedHashMap<>();
    private final Map<String, Map<String, ConnectionInfo>> connections = new LinkedHashMap<>();
    private int adminPort;
    private boolean https;

    EmulatorBuilder() {
    }

    /** Adds a region on a free loopback port with the default deployments. */
    public EmulatorBuilder region(String name) {
        return region(name, 0);
    }

    /** Adds a region on a fixed port (0 = free). */
    public EmulatorBuilder region(String name, int port) {
        if (name == null || !REGION_NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("Invalid region name '" + name
                    + "': use letters, digits, '.', '_' and '-', starting with a letter or digit");
        }
        if (ports.containsKey(name)) {
            throw new IllegalArgumentException("Region " + name + " is declared twice");
        }
        checkPort(port, "port of region " + name);
        ports.put(name, port);
        return this;
    }

    /** Replaces a region's deployment list (default {@code gpt-4.1-mini}, {@code gpt-4o-mini}). */
    public EmulatorBuilder deployments(String region, String... models) {
        if (models == null) {
            throw new IllegalArgumentException("deployments of region " + region + " must not be null");
        }
        for (String model : models) {
            if (model == null || model.isBlank()) {
                throw new IllegalArgumentException("Region " + region + " has a blank deployment name");
            }
        }
        deployments.put(region, List.of(models));
        return this;
    }

    /**
     * Declares (or redefines) one model deployment of a region with the model, version and SKU its
     * project reports on {@code GET /deployments}. Adds the deployment to the region's list (the default
     * list or the one given to {@link #deployments(String, String...)}) when it is not already there.
     * Deployments declared by name only report model = name, version {@value DeploymentInfo#DEFAULT_VERSION}
     * and SKU {@value DeploymentInfo#DEFAULT_SKU}.
     */
    public EmulatorBuilder deployment(String region, String name, String modelName, String modelVersion, String sku) {
        requireText(region, "region", region);
        requireText(name, "deployment name", region);
        requireText(modelName, "modelName of deployment " + name, region);
        requireText(modelVersion, "modelVersion of deployment " + name, region);
        requireText(sku, "sku of deployment " + name, region);
        deploymentDetails.computeIfAbsent(region, r -> new LinkedHashMap<>())
                .put(name, new DeploymentInfo(name, modelName, modelVersion, sku));
        return this;
    }

    /**
     * Declares (or redefines) a connection of a region's project, listed by {@code GET /connections}.
     *
     * @param type   the service's connection type, e.g. {@code CognitiveSearch}, {@code CustomKeys}, {@code ApiKey}
     * @param target the connected resource's URL
     */
    public EmulatorBuilder connection(String region, String name, String type, String target) {
        requireText(region, "region", region);
        requireText(name, "connection name", region);
        requireText(type, "type of connection " + name, region);
        requireText(target, "target of connection " + name, region);
        connections.computeIfAbsent(region, r -> new LinkedHashMap<>()).put(name, new ConnectionInfo(name, type, target));
        return this;
    }

    /** The admin API's port (default 0 = free). */
    public EmulatorBuilder adminPort(int port) {
        checkPort(port, "admin port");
        this.adminPort = port;
        return this;
    }

    /** Serves the regions over TLS with a self-signed certificate generated at start. */
    public EmulatorBuilder https(boolean https) {
        this.https = https;
        return this;
    }

    /**
     * Starts every region and the admin API.
     *
     * @throws IllegalStateException    when no region is declared
     * @throws IllegalArgumentException when deployments name an undeclared region
     * @throws java.io.UncheckedIOException when a port cannot be bound (the message names region and port)
     */
    public Emulator start() {
        if (ports.isEmpty()) {
            throw new IllegalStateException("Declare at least one region, e.g. builder().region(\"eastus2\")");
        }
        checkDeclared(deployments.keySet(), "deployments(...)");
        checkDeclared(deploymentDetails.keySet(), "deployment(...)");
        checkDeclared(connections.keySet(), "connection(...)");
        List<Emulator.RegionSpec> specs = new ArrayList<>();
        ports.forEach((name, port) -> specs.add(new Emulator.RegionSpec(name, port, deploymentsOf(name),
                List.copyOf(connections.getOrDefault(name, Map.of()).values()))));
        return Emulator.start(specs, adminPort, https);
    }

    private void checkDeclared(Iterable<String> regions, String method) {
        for (String region : regions) {
            if (!ports.containsKey(region)) {
                throw new IllegalArgumentException(method + " names region " + region
                        + ", which is not declared (regions: " + String.join(", ", ports.keySet()) + ")");
            }
        }
    }

    private List<DeploymentInfo> deploymentsOf(String region) {
        Map<String, DeploymentInfo> details = deploymentDetails.getOrDefault(region, Map.of());
        Map<String, DeploymentInfo> all = new LinkedHashMap<>();
        for (String name : deployments.getOrDefault(region, DEFAULT_DEPLOYMENTS)) {
            all.put(name, details.getOrDefault(name, DeploymentInfo.named(name)));
        }
        details.forEach(all::putIfAbsent);
        return List.copyOf(all.values());
    }

    private static void requireText(String value, String what, String region) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException("Region " + region + ": " + what + " must not be blank");
        }
    }

    private static void checkPort(int port, String what) {
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("Invalid " + what + ": " + port);
        }
    }
}
