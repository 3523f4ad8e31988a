package dev.continuity.emulator;

import dev.continuity.emulator.internal.AdminServer;
import dev.continuity.emulator.internal.ConnectionInfo;
import dev.continuity.emulator.internal.DeploymentInfo;
import dev.continuity.emulator.internal.RegionRuntime;
import dev.continuity.emulator.internal.TlsMaterial;
import dev.continuity.emulator.internal.Warmup;
import dev.continuity.emulator.internal.model.ScriptedModel;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.net.ssl.SSLContext;

/**
 * A wire-compatible local Microsoft Foundry Agent Service (v2) with one or more regions, each on its
 * own loopback port, plus an admin API. Starts in milliseconds; close it to free the ports.
 *
 * <pre>{@code
 * try (Emulator emulator = Emulator.builder().region("eastus2").region("centralus").start()) {
 *     String endpoint = emulator.region("eastus2").projectEndpoint();
 *     ...
 * }
 * }</pre>
 */
public final class Emulator implements AutoCloseable {

    /** One region to start. */
    record RegionSpec(String name, int port, List<DeploymentInfo> deployments, List<ConnectionInfo> connections) {
    }

    private final Map<String, EmulatorRegion> regions;
    private final List<RegionRuntime> runtimes;
    private final AdminServer admin;
    private final TlsMaterial tls;

    private Emulator(Map<String, EmulatorRegion> regions, List<RegionRuntime> runtimes, AdminServer admin,
                     TlsMaterial tls) {
        this.regions = regions;
        this.runtimes = runtimes;
        this.admin = admin;
        this.tls = tls;
    }

    /** A new builder. */
    public static EmulatorBuilder builder() {
        return new EmulatorBuilder();
    }

    static Emulator start(List<RegionSpec> specs, int adminPort, boolean https) {
        TlsMaterial tls = https ? TlsMaterial.shared() : null;
        ScriptedModel model = ScriptedModel.standard();
        List<RegionRuntime> runtimes = new ArrayList<>();
        Map<String, EmulatorRegion> regions = new LinkedHashMap<>();
        try {
            for (RegionSpec spec : specs) {
                RegionRuntime runtime = new RegionRuntime(spec.name(), spec.port(), spec.deployments(),
                        spec.connections(), tls, model);
                runtimes.add(runtime);
                runtime.start();
                regions.put(spec.name(), new EmulatorRegion(runtime));
            }
            AdminServer admin = new AdminServer(runtimes, tls, adminPort);
            Warmup.startOnce(model);
            return new Emulator(regions, List.copyOf(runtimes), admin, tls);
        } catch (RuntimeException e) {
            runtimes.forEach(RegionRuntime::close);
            throw e;
        }
    }

    /**
     * A region by name.
     *
     * @throws IllegalArgumentException naming the region when it is unknown
     */
    public EmulatorRegion region(String name) {
        EmulatorRegion region = regions.get(name);
        if (region == null) {
            throw new IllegalArgumentException("Unknown region '" + name + "' (regions: "
                    + String.join(", ", regions.keySet()) + ")");
        }
        return region;
    }

    /** The regions in declaration order. */
    public List<EmulatorRegion> regions() {
        return List.copyOf(regions.values());
    }

    /** The admin API, e.g. {@code http://127.0.0.1:PORT} (always plain HTTP). */
    public String adminEndpoint() {
        return admin.endpoint();
    }

    /** True when the regions speak HTTPS. */
    public boolean isHttps() {
        return tls != null;
    }

    /**
     * The PKCS12 truststore holding the emulator's self-signed certificate (for
     * {@code -Djavax.net.ssl.trustStore}); the certificate is shared by all HTTPS emulators of this JVM.
     *
     * @throws IllegalStateException when the emulator speaks plain HTTP
     */
    public Path trustStore() {
        return requireTls().trustStore();
    }

    /** The truststore's password. */
    public String trustStorePassword() {
        requireTls();
        return TlsMaterial.TRUSTSTORE_PASSWORD;
    }

    /** An SSL context that trusts the emulator's certificate (for clients that take one). */
    public SSLContext clientSslContext() {
        return requireTls().clientContext();
    }

    /**
     * The emulator's self-signed certificate in PEM form, for clients that take a CA file rather than a Java
     * truststore (for Node.js: write it to a file and point {@code NODE_EXTRA_CA_CERTS} at it).
     *
     * @throws IllegalStateException when the emulator speaks plain HTTP
     */
    public String certificatePem() {
        return requireTls().certificatePem();
    }

    private TlsMaterial requireTls() {
        if (tls == null) {
            throw new IllegalStateException("This emulator speaks plain HTTP; start it with https(true) for TLS");
        }
        return tls;
    }

    /** Stops every region and the admin API. */
    @Override
    public void close() {
        admin.close();
        runtimes.forEach(RegionRuntime::close);
    }
}
