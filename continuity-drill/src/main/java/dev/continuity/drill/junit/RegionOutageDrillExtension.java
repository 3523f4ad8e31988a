package dev.continuity.drill.junit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.continuity.definition.AgentDefinition;
import dev.continuity.definition.DefinitionLoader;
import dev.continuity.deploy.DeployReport;
import dev.continuity.emulator.Emulator;
import dev.continuity.emulator.EmulatorBuilder;
import dev.continuity.emulator.EmulatorRegion;
import dev.continuity.foundry.FoundryRegions;
import dev.continuity.topology.Topology;
import dev.continuity.topology.TopologyLoader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.AfterTestExecutionCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.platform.commons.support.AnnotationSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The JUnit 5 extension behind {@link RegionOutageDrill}: starts the emulated regions and deploys the agents before
 * each test, resolves {@link DrillRegions} and {@link Outage} parameters, and after the test method measures the
 * outage and fails the test when a declared bound is broken. Stops the regions when the test ends.
 */
public final class RegionOutageDrillExtension implements BeforeEachCallback, AfterTestExecutionCallback,
        ParameterResolver {

    private static final Logger LOG = LoggerFactory.getLogger(RegionOutageDrillExtension.class);
    private static final ExtensionContext.Namespace NAMESPACE =
            ExtensionContext.Namespace.create(RegionOutageDrillExtension.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Made by JUnit from {@link RegionOutageDrill}. */
    public RegionOutageDrillExtension() {
    }

    /** The emulator, the written topology's directory, and what the test is handed. */
    private record Drill(RegionOutageDrill declared, Emulator emulator, Path directory, DrillRegions regions,
            Outage outage) implements ExtensionContext.Store.CloseableResource {
        @Override
        public void close() {
            emulator.close();
            delete(directory);
        }
    }

    private static void delete(Path directory) {
        try (Stream<Path> files = Files.walk(directory)) {
            for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(file);
            }
        } catch (IOException e) {
            LOG.warn("could not delete {}: {}", directory, e.toString());
        }
    }

    @Override
    public void beforeEach(ExtensionContext context) throws Exception {
        RegionOutageDrill declared = declaration(context);
        String where = "@RegionOutageDrill on " + context.getRequiredTestClass().getName();
        Duration rto = parseRto(declared, where);
        if (declared.rpo() < -1) {
            throw new ExtensionConfigurationException(where + ": rpo = " + declared.rpo()
                    + " is not a number of turns (0 or more; -1 = not asserted)");
        }
        if (declared.outageAfterTurns() < 0) {
            throw new ExtensionConfigurationException(where + ": outageAfterTurns = " + declared.outageAfterTurns()
                    + " must be 0 (the test darkens) or more");
        }
        Path agents = Path.of(declared.agents()).toAbsolutePath().normalize();
        if (!Files.isDirectory(agents)) {
            throw new ExtensionConfigurationException(where + ": agents = \"" + declared.agents() + "\": no directory "
                    + agents + " (a relative path resolves against the working directory "
                    + Path.of("").toAbsolutePath() + ")");
        }
        Path topologyFile = agents.resolve(declared.topology()).normalize();
        if (!Files.isRegularFile(topologyFile)) {
            throw new ExtensionConfigurationException(where + ": topology = \"" + declared.topology() + "\": no file "
                    + topologyFile);
        }
        List<AgentDefinition> definitions = definitions(agents, declared.deploy(), where);
        ObjectNode tree = readTopology(topologyFile);
        EmulatorBuilder building = Emulator.builder();
        for (Iterator<Map.Entry<String, JsonNode>> all = regions(tree, topologyFile).fields(); all.hasNext(); ) {
            Map.Entry<String, JsonNode> region = all.next();
            if (!region.getValue().isObject()) {
                throw new ExtensionConfigurationException(topologyFile + ": region '" + region.getKey()
                        + "' is not a JSON object");
            }
            building.region(region.getKey());
        }
        Emulator emulator = building.start();
        Path directory = null;
        try {
            directory = Files.createTempDirectory("continuity-drill-");
            for (EmulatorRegion region : emulator.regions()) {
                ((ObjectNode) tree.get("regions").get(region.name())).put("project_endpoint", region.projectEndpoint());
                // a memory update is processed at once rather than after the tool's update_delay
                region.agentMemoryUpdateDelay(Duration.ZERO);
            }
            Path written = directory.resolve(topologyFile.getFileName().toString());
            JSON.writerWithDefaultPrettyPrinter().writeValue(written.toFile(), tree);
            Topology topology = new TopologyLoader().load(written);
            String primary = topology.primary().orElseThrow(() -> new ExtensionConfigurationException(
                    topologyFile + ": no region has the role primary")).name();
            if (topology.secondaries().isEmpty()) {
                throw new ExtensionConfigurationException(topologyFile + ": no secondary region to fail over to");
            }
            deploy(topology, primary, definitions, topologyFile);
            Outage outage = new Outage(emulator, topology, declared.outageAfterTurns());
            store(context).put(Drill.class, new Drill(declared, emulator, directory,
                    new DrillRegions(emulator, topology, written, agents, definitions), outage));
            LOG.debug("region outage drill: {} regions started, {} agents deployed to {}; bounds rto={} rpo={}",
                    emulator.regions().size(), definitions.size(), primary, rto, declared.rpo());
        } catch (RuntimeException | IOException e) {
            emulator.close();
            if (directory != null) {
                delete(directory);
            }
            throw e;
        }
    }

    @Override
    public void afterTestExecution(ExtensionContext context) {
        Drill drill = store(context).get(Drill.class, Drill.class);
        if (drill == null || context.getExecutionException().isPresent()) {
            return; // the test failed on its own: that is the failure to see
        }
        RecoveryMeasurement measured = drill.outage().measure();
        LOG.info("region outage drill {}: {}", context.getDisplayName(), measured.summary());
        context.publishReportEntry("continuity.drill", measured.summary());
        List<String> broken = new ArrayList<>();
        RegionOutageDrill declared = drill.declared();
        Duration rto = parseRto(declared, "@RegionOutageDrill");
        if (rto != null) {
            if (measured.rto() == null) {
                broken.add("RTO not reached: no turn of a conversation begun before the outage was answered"
                        + " correctly in another region than " + measured.darkRegion() + " (declared rto = \""
                        + declared.rto() + "\"; run such a turn through outage.turn(...) after the outage)");
            } else if (measured.rto().compareTo(rto) > 0) {
                broken.add("RTO " + measured.rto().toMillis() + " ms exceeds the declared rto = \"" + declared.rto()
                        + "\" (" + rto.toMillis() + " ms)");
            }
        }
        if (declared.rpo() >= 0) {
            if (measured.rpoTurns() > declared.rpo()) {
                broken.add("RPO " + measured.rpoTurns() + " turns exceeds the declared rpo = " + declared.rpo() + " ("
                        + measured.lostTurns() + " acknowledged turns lost from the journal, "
                        + measured.unreplicatedTurns() + " acknowledged before the outage missing in "
                        + measured.secondary() + ")");
            }
            if (!measured.divergentCopies().isEmpty()) {
                broken.add("items missing after replay in " + measured.secondary() + ": "
                        + String.join("; ", measured.divergentCopies()));
            }
        }
        if (!broken.isEmpty()) {
            throw new AssertionError("Region outage drill failed: " + String.join("; ", broken) + ". Measured: "
                    + measured.summary());
        }
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        Class<?> type = parameter.getParameter().getType();
        return type == DrillRegions.class || type == Outage.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        Drill drill = store(context).get(Drill.class, Drill.class);
        if (drill == null) {
            throw new ExtensionConfigurationException(parameter.getParameter().getType().getSimpleName()
                    + " is available to test methods and @BeforeEach methods of a @RegionOutageDrill test");
        }
        return parameter.getParameter().getType() == Outage.class ? drill.outage() : drill.regions();
    }

    private static ExtensionContext.Store store(ExtensionContext context) {
        return context.getStore(NAMESPACE);
    }

    private static RegionOutageDrill declaration(ExtensionContext context) {
        return context.getTestMethod().flatMap(m -> AnnotationSupport.findAnnotation(m, RegionOutageDrill.class))
                .or(() -> AnnotationSupport.findAnnotation(context.getRequiredTestClass(), RegionOutageDrill.class))
                .orElseThrow(() -> new ExtensionConfigurationException(context.getRequiredTestClass().getName()
                        + " uses the region outage drill extension without @RegionOutageDrill"));
    }

    private static Duration parseRto(RegionOutageDrill declared, String where) {
        if (declared.rto().isBlank()) {
            return null;
        }
        try {
            Duration rto = Duration.parse(declared.rto().trim());
            if (rto.isNegative()) {
                throw new ExtensionConfigurationException(where + ": rto = \"" + declared.rto() + "\" is negative");
            }
            return rto;
        } catch (DateTimeParseException e) {
            throw new ExtensionConfigurationException(where + ": rto = \"" + declared.rto()
                    + "\" is not an ISO-8601 duration such as \"PT2S\" or \"PT0.5S\"", e);
        }
    }

    private static List<AgentDefinition> definitions(Path agents, String[] names, String where) {
        List<AgentDefinition> latest = new DefinitionLoader().load(agents).latestOfEach();
        if (names.length == 0) {
            return latest;
        }
        List<AgentDefinition> chosen = new ArrayList<>();
        for (String name : names) {
            chosen.add(latest.stream().filter(d -> d.name().equals(name)).findFirst().orElseThrow(() ->
                    new ExtensionConfigurationException(where + ": deploy names agent '" + name + "', which " + agents
                            + " does not define (agents: " + latest.stream().map(AgentDefinition::name).toList()
                            + ")")));
        }
        return chosen;
    }

    private static ObjectNode readTopology(Path file) {
        try {
            JsonNode tree = JSON.readTree(file.toFile());
            if (!(tree instanceof ObjectNode object)) {
                throw new ExtensionConfigurationException(file + ": a topology is a JSON object");
            }
            return object;
        } catch (IOException e) {
            throw new UncheckedIOException(file + ": not readable as JSON: " + e.getMessage(), e);
        }
    }

    private static JsonNode regions(ObjectNode tree, Path file) {
        JsonNode regions = tree.get("regions");
        if (regions == null || !regions.isObject() || regions.isEmpty()) {
            throw new ExtensionConfigurationException(file + ": field 'regions' names no region");
        }
        return regions;
    }

    private static void deploy(Topology topology, String primary, List<AgentDefinition> definitions, Path file) {
        try (FoundryRegions regions = FoundryRegions.builder(topology).regions(primary).build()) {
            DeployReport report = regions.deploy(primary, definitions);
            if (!report.failed().isEmpty()) {
                throw new ExtensionConfigurationException("deploying the agents of " + file.getParent() + " to the"
                        + " emulated " + primary + " failed: " + report.failed()
                        + " (@RegionOutageDrill(deploy = {...}) chooses the agents to deploy)");
            }
        }
    }
}
