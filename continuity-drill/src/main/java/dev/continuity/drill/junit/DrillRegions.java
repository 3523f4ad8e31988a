package dev.continuity.drill.junit;

import dev.continuity.definition.AgentDefinition;
import dev.continuity.emulator.Emulator;
import dev.continuity.foundry.FoundryRegions;
import dev.continuity.topology.Topology;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What a {@link RegionOutageDrill} test's application needs to connect to the emulated regions: a parameter of the
 * test (or of its {@code @BeforeEach} method).
 * <ul>
 *   <li>{@link #topologyFile()}: the application's topology with each region's {@code project_endpoint} set to the
 *       emulated region's, for applications that read a topology file;</li>
 *   <li>{@link #environment()}: the endpoints as the {@code CONTINUITY_<REGION>_ENDPOINT} variables the shipped
 *       {@code topology.local.json} reads, for applications configured from variables;</li>
 *   <li>{@link #connect()}: {@link FoundryRegions} over that topology, for a test that assembles the
 *       {@link dev.continuity.foundry.ContinuityStack} itself ({@code connect().stack(journal, definitions())}).</li>
 * </ul>
 */
public final class DrillRegions {

    private final Emulator emulator;
    private final Topology topology;
    private final Path topologyFile;
    private final Path agentsDir;
    private final List<AgentDefinition> definitions;

    DrillRegions(Emulator emulator, Topology topology, Path topologyFile, Path agentsDir,
            List<AgentDefinition> definitions) {
        this.emulator = emulator;
        this.topology = topology;
        this.topologyFile = topologyFile;
        this.agentsDir = agentsDir;
        this.definitions = List.copyOf(definitions);
    }

    /** The running emulator (its regions' faults, counters and settings: its public API, docs/emulator.md). */
    public Emulator emulator() {
        return emulator;
    }

    /** The topology's primary region: the one the outage darkens unless the test names another. */
    public String primary() {
        return topology.primary().orElseThrow().name();
    }

    /** The topology's first secondary region: where the failover goes. */
    public String secondary() {
        return topology.secondaries().get(0).name();
    }

    /**
     * A region's project endpoint.
     *
     * @throws IllegalArgumentException naming the region when the topology has no such region
     */
    public String endpoint(String region) {
        return emulator.region(region).projectEndpoint();
    }

    /**
     * The endpoints as variables, {@code CONTINUITY_<REGION>_ENDPOINT} (the region's name upper-cased, every
     * character other than a letter or digit replaced by {@code _}), e.g. {@code CONTINUITY_EASTUS2_ENDPOINT}.
     */
    public Map<String, String> environment() {
        Map<String, String> variables = new LinkedHashMap<>();
        for (var region : emulator.regions()) {
            variables.put(variable(region.name()), region.projectEndpoint());
        }
        return variables;
    }

    static String variable(String region) {
        return "CONTINUITY_" + region.toUpperCase(Locale.ROOT).replaceAll("[^A-Z0-9]", "_") + "_ENDPOINT";
    }

    /** The application's topology, its endpoints the emulated regions'. */
    public Topology topology() {
        return topology;
    }

    /** The same topology as a file (in a directory the extension deletes after the test). */
    public Path topologyFile() {
        return topologyFile;
    }

    /** The application's agent definitions directory ({@link RegionOutageDrill#agents()}). */
    public Path agentsDir() {
        return agentsDir;
    }

    /** The definitions deployed to the primary before the test (latest version of each). */
    public List<AgentDefinition> definitions() {
        return definitions;
    }

    /** Connects every region of {@link #topology()} through the real SDK clients; close it (or its stack). */
    public FoundryRegions connect() {
        return FoundryRegions.connect(topology);
    }
}
