package dev.continuity.emulator;

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
        for (String region : deployments.keySet()) {
            if (!ports.containsKey(region)) {
                throw new IllegalArgumentException("deployments(...) names region " + region
                        + ", which is not declared (regions: " + String.join(", ", ports.keySet()) + ")");
            }
        }
        List<Emulator.RegionSpec> specs = new ArrayList<>();
        ports.forEach((name, port) -> specs.add(new Emulator.RegionSpec(name, port,
                deployments.getOrDefault(name, DEFAULT_DEPLOYMENTS))));
        return Emulator.start(specs, adminPort, https);
    }

    private static void checkPort(int port, String what) {
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("Invalid " + what + ": " + port);
        }
    }
}
