package dev.continuity.emulator.internal;

import dev.continuity.emulator.internal.http.HttpListener;
import dev.continuity.emulator.internal.model.ScriptedModel;
import java.util.List;
import java.util.concurrent.ExecutorService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One running region: its listener on a loopback port, its stores, faults and counters. An outage
 * closes the listener (new connections are refused, open ones dropped); a restore listens again on
 * the same port with the stored state intact.
 */
public final class RegionRuntime implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(RegionRuntime.class);

    private final RegionInfo info;
    private final RegionApi api;
    private final FaultEngine faults = new FaultEngine();
    private final OperationCounts counts = new OperationCounts();
    private final ServiceTimeHistogram serviceTimes = new ServiceTimeHistogram();
    private final TlsMaterial tls;
    private final ExecutorService connections;
    private final HttpListener listener;
    private boolean dark;
    private boolean closed;

    /**
     * Creates (not yet listening) a region whose project lists the given deployments and connections.
     *
     * @param tls TLS material for HTTPS, or null for plain HTTP
     */
    public RegionRuntime(String name, int port, List<DeploymentInfo> deployments, List<ConnectionInfo> projectConnections,
            TlsMaterial tls, ScriptedModel model) {
        this.info = new RegionInfo(name, deployments.stream().map(DeploymentInfo::name).toList());
        this.api = new RegionApi(info, model, new ProjectCatalog(name, deployments, projectConnections));
        this.api.responseFaults(faults);
        this.tls = tls;
        this.connections = DaemonThreads.connectionPool("emulator-" + name);
        this.listener = new HttpListener("Region " + name, port, tls == null ? null : tls.serverContext(),
                new RegionHandler(name, api, faults, counts, serviceTimes, tls != null), connections);
    }

    /**
     * Starts listening (on a free port when the port is 0).
     *
     * @throws java.io.UncheckedIOException naming the region and port when it cannot be bound
     */
    public synchronized void start() {
        listener.start();
        LOG.info("Region {} listening at {}", info.name(), projectEndpoint());
    }

    /** Closes the listener and drops open connections; stored state is kept. */
    public synchronized void outage() {
        if (closed || dark) {
            return;
        }
        dark = true;
        listener.stop(); // resets every open connection, open streams included
        // in-flight background responses are lost with the region; with cancelCutStreams the open streams'
        // responses stop, now, before anyone can look at the region again
        api.failInFlightResponses();
        faults.releaseStalls(); // a stalled stream goes on and fails on its reset connection
        LOG.info("Region {} is dark (outage)", info.name());
    }

    /** Listens again on the same port and clears all fault rules. */
    public synchronized void restore() {
        if (closed) {
            throw new IllegalStateException("Region " + info.name() + " is closed");
        }
        faults.clear();
        if (dark) {
            listener.start();
            dark = false;
            LOG.info("Region {} restored at {}", info.name(), projectEndpoint());
        }
    }

    /** True during an outage. */
    public synchronized boolean isDark() {
        return dark;
    }

    /** The region's name. */
    public String name() {
        return info.name();
    }

    /** The listening port. */
    public int port() {
        return listener.port();
    }

    /** {@code http(s)://127.0.0.1:<port>/api/projects/<name>}. */
    public String projectEndpoint() {
        return (tls != null ? "https" : "http") + "://127.0.0.1:" + port() + "/api/projects/" + info.name();
    }

    /** The model deployments. */
    public List<String> deployments() {
        return info.deployments();
    }

    /** The fault rules. */
    public FaultEngine faults() {
        return faults;
    }

    /** The operation counters. */
    public OperationCounts counts() {
        return counts;
    }

    /** How long this region took to answer its requests. */
    public ServiceTimeHistogram serviceTimes() {
        return serviceTimes;
    }

    /** The stores. */
    public RegionApi api() {
        return api;
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        listener.release();
        connections.shutdownNow();
    }
}
