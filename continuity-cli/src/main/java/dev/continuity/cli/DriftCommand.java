package dev.continuity.cli;

import dev.continuity.definition.AgentDefinition;
import dev.continuity.definition.DefinitionException;
import dev.continuity.definition.DefinitionLoader;
import dev.continuity.drift.DriftDetector;
import dev.continuity.drift.DriftFinding;
import dev.continuity.drift.DriftReport;
import dev.continuity.drift.RegionDrift;
import dev.continuity.foundry.FoundryCredentials;
import dev.continuity.foundry.FoundryProjectInspector;
import dev.continuity.foundry.FoundryRegions;
import dev.continuity.topology.Region;
import dev.continuity.topology.Topology;
import dev.continuity.topology.TopologyLoader;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code continuity drift --topology FILE [--agents DIR] [--json] [--skip-deployments]}: compares what every
 * region runs with the definitions rendered for it, and (unless skipped) each model deployment the
 * definitions use with the topology's declared model name and version (through
 * {@link FoundryProjectInspector}). Reads only.
 */
@Command(name = "drift",
        mixinStandardHelpOptions = true,
        description = {"Compare every region's deployed agents with the definitions: missing agents, another "
                + "content hash (continuity-hash), another model deployment, agents no longer defined, and model "
                + "deployments that are missing or run another model or version than the topology declares."})
final class DriftCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--topology", required = true, paramLabel = "FILE", description = "Topology file.")
    Path topologyFile;

    @Option(names = "--agents", defaultValue = "agents", paramLabel = "DIR",
            description = "Directory of definition files (default: ${DEFAULT-VALUE}).")
    Path agents;

    @Option(names = "--pin", paramLabel = "NAME=VERSION",
            description = "Compare with this source version of an agent instead of its latest (repeatable).")
    Map<String, String> pins = new LinkedHashMap<>();

    @Option(names = "--region", paramLabel = "NAME", description = "Check only this region (repeatable; default: all).")
    List<String> regions = new ArrayList<>();

    @Option(names = "--json", description = "Print the report as JSON.")
    boolean json;

    @Option(names = "--skip-deployments",
            description = "Do not read the projects' model deployments (agents only).")
    boolean skipDeployments;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        List<AgentDefinition> definitions;
        List<Region> checked = new ArrayList<>();
        Topology topology;
        try {
            definitions = new DefinitionLoader().load(agents).select(pins);
            topology = new TopologyLoader().load(topologyFile);
            if (regions.isEmpty()) {
                checked.addAll(topology.regions().values());
            } else {
                for (String name : regions) {
                    checked.add(topology.requireRegion(name));
                }
            }
        } catch (DefinitionException e) {
            e.problems().forEach(err::println);
            err.println(e.problems().size() + (e.problems().size() == 1 ? " problem" : " problems")
                    + "; nothing checked");
            err.flush();
            return ExitCodes.INVALID;
        } catch (IllegalArgumentException e) {
            err.println(CliErrors.describe(e) + "; nothing checked");
            err.flush();
            return ExitCodes.INVALID;
        }
        try (FoundryRegions connected = FoundryRegions.builder(topology)
                .regions(checked.stream().map(Region::name).toArray(String[]::new)).build()) {
            DriftDetector.Builder detector = DriftDetector.builder().topology(topology).definitions(definitions);
            if (!skipDeployments) {
                detector.deploymentInspector(FoundryProjectInspector.forTopology(topology,
                        FoundryCredentials::forEndpoint));
            }
            for (Region region : checked) {
                detector.region(connected.service(region.name()))
                        .memoryStores(connected.memoryStores(region.name()));
            }
            DriftReport report = detector.build().check();
            if (json) {
                out.println(report.toJson());
            } else {
                print(out, report);
            }
            out.flush();
            if (report.hasErrors()) {
                return ExitCodes.ERROR;
            }
            return report.hasDrift() ? ExitCodes.DRIFT : ExitCodes.OK;
        }
    }

    private static void print(PrintWriter out, DriftReport report) {
        for (RegionDrift region : report.regions()) {
            out.printf(Locale.ROOT, "%s: %s (%d agents checked)%s%n", region.region(), region.status(),
                    region.agentsChecked(), region.error() == null ? "" : ": " + region.error());
            for (DriftFinding finding : region.findings()) {
                out.printf(Locale.ROOT, "  %-28s %-22s %s%n", finding.kind(), finding.agent(), finding.message());
            }
        }
        long findings = report.findings().size();
        out.printf(Locale.ROOT, "%d finding(s) in %d region(s)%n", findings, report.regions().size());
    }
}
