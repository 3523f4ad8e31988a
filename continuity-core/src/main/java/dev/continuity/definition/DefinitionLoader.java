package dev.continuity.definition;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.continuity.definition.internal.DefinitionParser;
import dev.continuity.definition.internal.Json;
import dev.continuity.io.ContainedRoot;
import dev.continuity.io.PathRefusedException;
import dev.continuity.io.Utf8Text;
import dev.continuity.json.ExactJson;
import dev.continuity.json.JsonRefusal;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads a directory of agent definition files, one file per agent version, at any depth (e.g.
 * {@code agents/policy-bot.json} or {@code agents/policy-bot/2026-06-26.json}).
 *
 * <p>Which files are definition files: every regular file ending in {@code .json} under the
 * directory, except
 * <ul>
 *   <li>files or folders whose name starts with {@code .} (and everything under such a folder),</li>
 *   <li>files whose name ends in {@code .schema.json} (JSON schemas),</li>
 *   <li>files whose name starts with {@code topology} (topology files), and</li>
 *   <li>files whose top-level {@code "$schema"} ends in {@code topology.schema.json} (topology files
 *       under another name, e.g. {@code azure.example.json}).</li>
 * </ul>
 * Other files (README.md, instructions drafts) are ignored.
 *
 * <p>The directory is read under the path-containment rule ({@link ContainedRoot}): a symbolic link
 * whose target stays inside the directory is followed (file or folder); a definition file or folder that
 * is a link leaving the directory, a dangling link or a link loop is a problem naming the link, as is a
 * device, pipe or socket named like a definition file. Every file must be UTF-8 (a problem gives the
 * byte offset, line and column of the first invalid byte).
 *
 * <p>Every problem of every file is reported at once (see {@link #read}); a file with any problem
 * contributes no definition.
 */
public final class DefinitionLoader {

    private static final Logger LOG = LoggerFactory.getLogger(DefinitionLoader.class);
    private static final String TOPOLOGY_SCHEMA_SUFFIX = "topology.schema.json";

    /** Reads {@code directory}, collecting every problem; never throws for bad content. */
    public DefinitionLoadResult read(Path directory) {
        List<DefinitionProblem> problems = new ArrayList<>();
        if (!Files.isDirectory(directory)) {
            problems.add(new DefinitionProblem(directory, "", Files.exists(directory)
                    ? "not a directory (expected a directory of agent definition files)"
                    : "definitions directory does not exist"));
            return new DefinitionLoadResult(DefinitionSet.empty(), problems, List.of());
        }
        ContainedRoot.Listing listing;
        try {
            listing = ContainedRoot.of(directory).list(DefinitionLoader::isDefinitionFileName);
        } catch (PathRefusedException e) {
            problems.add(new DefinitionProblem(e.file(), "", e.reason()));
            return new DefinitionLoadResult(DefinitionSet.empty(), problems, List.of());
        }
        for (ContainedRoot.Refusal refusal : listing.refused()) {
            problems.add(new DefinitionProblem(refusal.file(), "", refusal.reason()));
        }
        List<Path> files = new ArrayList<>();
        List<AgentDefinition> definitions = new ArrayList<>();
        for (ContainedRoot.ContainedFile candidate : listing.files()) {
            Path file = candidate.path();
            FileResult r = readFile(file, candidate.realPath());
            if (r.topology) {
                LOG.debug("skipping {}: its $schema names a topology", file);
                continue;
            }
            files.add(file);
            problems.addAll(r.problems);
            if (r.definition != null) {
                definitions.add(r.definition);
            }
        }
        if (files.isEmpty() && problems.isEmpty()) {
            problems.add(new DefinitionProblem(directory, "", "no agent definition files (*.json) found"));
        }
        List<AgentDefinition> accepted = crossFileChecks(definitions, problems);
        problems.sort(Comparator.comparing((DefinitionProblem p) -> p.file().toString()));
        LOG.debug("read {} definition files from {}: {} definitions, {} problems", files.size(), directory,
                accepted.size(), problems.size());
        return new DefinitionLoadResult(DefinitionSet.of(accepted), problems, files);
    }

    /**
     * Reads {@code directory}.
     *
     * @throws DefinitionException carrying every problem, when there is any
     */
    public DefinitionSet load(Path directory) {
        return read(directory).orThrow();
    }

    /**
     * Reads one definition file (no cross-file checks).
     *
     * @throws DefinitionException carrying every problem of the file, when there is any
     */
    public AgentDefinition loadFile(Path file) {
        FileResult r = readFile(file, file);
        if (r.topology) {
            throw new DefinitionException(List.of(new DefinitionProblem(file, "/$schema",
                    "this is a topology file, not an agent definition")));
        }
        if (!r.problems.isEmpty()) {
            throw new DefinitionException(r.problems);
        }
        return r.definition;
    }

    /** True when a file name alone does not rule a file out as a definition file (see the class doc). */
    public static boolean isDefinitionFileName(String fileName) {
        return fileName.endsWith(".json") && !fileName.endsWith(".schema.json") && !fileName.startsWith("topology")
                && !fileName.startsWith(".");
    }

    private record FileResult(AgentDefinition definition, List<DefinitionProblem> problems, boolean topology) {
    }

    /** Reads {@code file} (named so in problems) from {@code source} (its real path when found by a walk). */
    private static FileResult readFile(Path file, Path source) {
        String text;
        try {
            text = Utf8Text.decode(Files.readAllBytes(source));
        } catch (Utf8Text.NotUtf8Exception e) {
            return failed(file, "", e.getMessage());
        } catch (IOException e) {
            return failed(file, "", "cannot read: " + e);
        }
        JsonNode root;
        try {
            root = Json.MAPPER.readTree(text);
        } catch (JsonProcessingException e) {
            Optional<JsonRefusal> refused = ExactJson.refusal(e);
            if (refused.isPresent()) {
                return failed(file, refused.get().pointer(), refused.get().reason());
            }
            JsonLocation at = e.getLocation();
            String where = at == null ? "" : " at line " + at.getLineNr() + ", column " + at.getColumnNr();
            return failed(file, "", "invalid JSON" + where + ": " + e.getOriginalMessage());
        }
        if (root == null || root.isMissingNode()) {
            return failed(file, "", "empty file (expected an agent definition object)");
        }
        if (!root.isObject()) {
            return failed(file, "", "an agent definition must be a JSON object, not " + root.getNodeType()
                    .toString().toLowerCase(java.util.Locale.ROOT));
        }
        JsonNode schema = root.get("$schema");
        if (schema != null && schema.isTextual() && schema.textValue().endsWith(TOPOLOGY_SCHEMA_SUFFIX)) {
            return new FileResult(null, List.of(), true);
        }
        DefinitionParser parser = new DefinitionParser(file, text);
        AgentDefinition definition = parser.parse((ObjectNode) root);
        return new FileResult(definition, parser.problems().list(), false);
    }

    private static FileResult failed(Path file, String pointer, String reason) {
        return new FileResult(null, List.of(new DefinitionProblem(file, pointer, reason)), false);
    }

    /** Two files claiming one name and version, or versions equal in version order; returns the accepted. */
    private static List<AgentDefinition> crossFileChecks(List<AgentDefinition> definitions,
            List<DefinitionProblem> problems) {
        Map<String, List<AgentDefinition>> byName = new HashMap<>();
        List<AgentDefinition> accepted = new ArrayList<>();
        for (AgentDefinition d : definitions) {
            List<AgentDefinition> earlier = byName.computeIfAbsent(d.name(), k -> new ArrayList<>());
            AgentDefinition clash = earlier.stream()
                    .filter(e -> VersionOrder.INSTANCE.compare(e.version(), d.version()) == 0).findFirst().orElse(null);
            if (clash == null) {
                earlier.add(d);
                accepted.add(d);
            } else if (clash.version().equals(d.version())) {
                problems.add(new DefinitionProblem(d.sourceFile(), "/name", "agent '" + d.name() + "' version '"
                        + d.version() + "' is also defined in " + clash.sourceFile()
                        + "; each name and version must be defined once"));
            } else {
                problems.add(new DefinitionProblem(d.sourceFile(), "/version", "version '" + d.version()
                        + "' of agent '" + d.name() + "' orders equal to version '" + clash.version() + "' in "
                        + clash.sourceFile() + "; versions of one agent must differ in version order"));
            }
        }
        return accepted;
    }
}
