package dev.continuity.cli;

import dev.continuity.definition.AgentDefinition;
import dev.continuity.definition.DefinitionLoadResult;
import dev.continuity.definition.DefinitionLoader;
import dev.continuity.definition.DefinitionProblem;
import dev.continuity.definition.DefinitionSet;
import dev.continuity.topology.BindingValidator;
import dev.continuity.topology.Topology;
import dev.continuity.topology.TopologyException;
import dev.continuity.topology.TopologyLoader;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code continuity validate [DIR] [--topology FILE]}: checks every agent definition under DIR and,
 * with a topology, that every region binds every logical resource they name. Lists every problem as
 * {@code file:pointer: reason} on stderr.
 */
@Command(name = "validate",
        mixinStandardHelpOptions = true,
        description = {"Check agent definition files (and, with --topology, every region's bindings).",
            "Prints a summary when valid; otherwise every problem as file:pointer: reason."})
final class ValidateCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", arity = "0..1", defaultValue = "agents", paramLabel = "DIR",
            description = "Directory of definition files (default: ${DEFAULT-VALUE}).")
    Path directory;

    @Option(names = "--topology", paramLabel = "FILE",
            description = "Topology file; also check that every region binds what the definitions name.")
    Path topologyFile;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        DefinitionLoadResult result = new DefinitionLoader().read(directory);
        List<DefinitionProblem> problems = new ArrayList<>(result.problems());
        Topology topology = null;
        if (topologyFile != null) {
            try {
                topology = new TopologyLoader().load(topologyFile);
                for (String region : topology.regions().keySet()) {
                    problems.addAll(BindingValidator.check(result.definitions().all(), topology, region));
                }
            } catch (TopologyException e) {
                problems.addAll(e.problems());
            }
        }
        if (!problems.isEmpty()) {
            problems.forEach(p -> err.println(p));
            long files = problems.stream().map(DefinitionProblem::file).distinct().count();
            err.println(problems.size() + (problems.size() == 1 ? " problem" : " problems") + " in " + files
                    + (files == 1 ? " file" : " files"));
            err.flush();
            return ExitCodes.INVALID;
        }
        DefinitionSet set = result.definitions();
        out.println(directory + ": " + result.files().size() + " definition " + (result.files().size() == 1 ? "file"
                : "files") + ", " + set.agentNames().size() + (set.agentNames().size() == 1 ? " agent" : " agents")
                + " - valid");
        for (String name : set.agentNames()) {
            List<AgentDefinition> versions = set.versions(name);
            AgentDefinition latest = versions.get(versions.size() - 1);
            out.println("  " + name + " " + latest.version() + (versions.size() > 1 ? " (latest of " + versions.size()
                    + ": " + versions.stream().map(AgentDefinition::version).collect(Collectors.joining(", ")) + ")"
                    : "") + "  " + latest.contentHash().substring(0, "sha256:".length() + 12));
        }
        if (topology != null) {
            out.println("bindings complete in " + String.join(", ", topology.regions().keySet()) + " (" + topologyFile
                    + ")");
        }
        out.flush();
        return ExitCodes.OK;
    }
}
