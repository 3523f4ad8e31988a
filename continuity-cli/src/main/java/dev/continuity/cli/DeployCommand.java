package dev.continuity.cli;

import dev.continuity.definition.AgentDefinition;
import dev.continuity.definition.DefinitionException;
import dev.continuity.definition.DefinitionLoader;
import dev.continuity.definition.DefinitionSet;
import dev.continuity.deploy.DeployOutcome;
import dev.continuity.deploy.DeployReport;
import dev.continuity.foundry.FoundryRegions;
import dev.continuity.topology.Region;
import dev.continuity.topology.Topology;
import dev.continuity.topology.TopologyLoader;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code continuity deploy --topology FILE --region NAME [--agents DIR] [--pin NAME=VERSION]...}:
 * deploys the latest (or pinned) version of every agent to one region, creating an agent version only
 * where the content hash changed. Prints one line per agent: CREATED, UNCHANGED or FAILED.
 */
@Command(name = "deploy",
        mixinStandardHelpOptions = true,
        description = {"Deploy agent definitions to one region; only changed agents get a new version.",
            "Prints one line per agent: CREATED <agent> <region> version <n> (source <v>), UNCHANGED ..., or FAILED ...",
            "Authenticates with DefaultAzureCredential (a fixed local token for a loopback emulator endpoint)."})
final class DeployCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--topology", required = true, paramLabel = "FILE", description = "Topology file.")
    Path topologyFile;

    @Option(names = "--region", required = true, paramLabel = "NAME", description = "Region to deploy to.")
    String region;

    @Option(names = "--agents", defaultValue = "agents", paramLabel = "DIR",
            description = "Directory of definition files (default: ${DEFAULT-VALUE}).")
    Path agents;

    @Option(names = "--pin", paramLabel = "NAME=VERSION",
            description = "Deploy this source version of an agent instead of its latest (repeatable).")
    Map<String, String> pins = new LinkedHashMap<>();

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        List<AgentDefinition> selected;
        Topology topology;
        Region target;
        try {
            DefinitionSet set = new DefinitionLoader().load(agents);
            topology = new TopologyLoader().load(topologyFile);
            target = topology.requireRegion(region);
            selected = set.select(pins);
        } catch (DefinitionException e) {
            e.problems().forEach(p -> err.println(p));
            err.println(e.problems().size() + (e.problems().size() == 1 ? " problem" : " problems")
                    + "; nothing deployed");
            err.flush();
            return ExitCodes.INVALID;
        } catch (IllegalArgumentException e) {
            err.println(CliErrors.describe(e) + "; nothing deployed");
            err.flush();
            return ExitCodes.INVALID;
        }
        DeployReport report;
        try (FoundryRegions connected = FoundryRegions.builder(topology).regions(target.name()).build()) {
            report = connected.deploy(target.name(), selected);
        }
        for (DeployOutcome outcome : report.outcomes()) {
            out.println(outcome.describe());
        }
        out.flush();
        return report.succeeded() ? ExitCodes.OK : ExitCodes.ERROR;
    }
}
