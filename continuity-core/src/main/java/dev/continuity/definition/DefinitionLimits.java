package dev.continuity.definition;

import java.util.List;
import java.util.regex.Pattern;

/** Service limits and naming rules a definition must respect (Foundry Agent Service quotas and limits). */
public final class DefinitionLimits {

    /** Agent names: letters, digits and hyphens, starting and ending with a letter or digit. */
    public static final Pattern AGENT_NAME = Pattern.compile("[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?");
    /** Longest agent name the service accepts. */
    public static final int AGENT_NAME_MAX = 63;
    /** Function tool names (as the Responses API accepts them). */
    public static final Pattern FUNCTION_NAME = Pattern.compile("[A-Za-z0-9_-]{1,64}");
    /** Source version labels: a letter or digit, then letters, digits, {@code . _ + -}; 64 chars max. */
    public static final Pattern VERSION = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._+-]{0,63}");
    /** Metadata pairs the service accepts per agent version. */
    public static final int METADATA_MAX_PAIRS = 16;
    /** Longest metadata key. */
    public static final int METADATA_KEY_MAX = 64;
    /** Longest metadata value. */
    public static final int METADATA_VALUE_MAX = 512;
    /** Tools the service accepts per agent. */
    public static final int TOOLS_MAX = 128;
    /**
     * Longest instructions, in characters (Unicode code points): the documented limit of agent instructions
     * (256,000 characters in the OpenAI API reference the Agent Service follows; the Foundry data-plane
     * spec states none, so this is the documented one).
     */
    public static final int INSTRUCTIONS_MAX = 256_000;
    /** Longest version description, in characters (the Foundry data-plane spec's {@code maxLength}). */
    public static final int DESCRIPTION_MAX = 512;
    /** Metadata key under which the deployer records the deployed content hash. */
    public static final String HASH_METADATA_KEY = "continuity-hash";
    /** Metadata key under which the deployer records the source version. */
    public static final String VERSION_METADATA_KEY = "continuity-version";
    /** Metadata keys the deployer adds to every version; they count against the 16-pair limit. */
    public static final List<String> DEPLOYER_METADATA_KEYS = List.of(HASH_METADATA_KEY, VERSION_METADATA_KEY);
    /** Prefix reserved for keys the deployer writes; definitions may not use it. */
    public static final String RESERVED_METADATA_PREFIX = "continuity-";
    /** Pairs a definition's own metadata may hold (the limit minus the deployer's keys). */
    public static final int USER_METADATA_MAX_PAIRS = METADATA_MAX_PAIRS - DEPLOYER_METADATA_KEYS.size();
    /** Logical knowledge source a {@code file_search} tool naming no source binds to. */
    public static final String DEFAULT_KNOWLEDGE_SOURCE = "default";

    private DefinitionLimits() {
    }

    /**
     * The reason a text field is too long, or {@code null}: {@code field} is the field's name in the
     * definition file, {@code max} a limit above in characters (code points).
     */
    public static String tooLong(String field, String value, int max) {
        if (value == null || value.length() <= max) {
            return null;
        }
        int characters = value.codePointCount(0, value.length());
        return characters <= max ? null : "'" + field + "' is " + characters + " characters long; the service allows at"
                + " most " + max;
    }

    /**
     * Every service limit {@code definition} exceeds (name, instructions, description, tools, metadata),
     * each naming the file (or the agent, for a definition built in code) and the field. The definition
     * loader reports the same limits with its own problems; the renderer applies this to every definition,
     * however it was made, so nothing over a limit reaches the service.
     */
    public static List<DefinitionProblem> check(AgentDefinition definition) {
        java.nio.file.Path file = definition.sourceFile() != null ? definition.sourceFile()
                : java.nio.file.Path.of("(" + definition.id() + ")");
        List<DefinitionProblem> problems = new java.util.ArrayList<>();
        String name = definition.name();
        if (name.length() > AGENT_NAME_MAX || !AGENT_NAME.matcher(name).matches()) {
            problems.add(new DefinitionProblem(file, "/name", "agent name '" + name + "' is invalid: 1 to "
                    + AGENT_NAME_MAX + " letters, digits and hyphens, starting and ending with a letter or digit"));
        }
        String instructions = tooLong("instructions", definition.instructions(), INSTRUCTIONS_MAX);
        if (instructions != null) {
            problems.add(new DefinitionProblem(file, "/instructions", instructions));
        }
        String description = tooLong("description", definition.description(), DESCRIPTION_MAX);
        if (description != null) {
            problems.add(new DefinitionProblem(file, "/description", description));
        }
        if (definition.tools().size() > TOOLS_MAX) {
            problems.add(new DefinitionProblem(file, "/tools", "agent has " + definition.tools().size()
                    + " tools; the service allows at most " + TOOLS_MAX));
        }
        if (definition.metadata().size() > USER_METADATA_MAX_PAIRS) {
            problems.add(new DefinitionProblem(file, "/metadata", "metadata has " + definition.metadata().size()
                    + " pairs; at most " + USER_METADATA_MAX_PAIRS + " of your own (the deployer adds "
                    + String.join(", ", DEPLOYER_METADATA_KEYS) + ")"));
        }
        definition.metadata().forEach((key, value) -> {
            String at = "/metadata/" + key.replace("~", "~0").replace("/", "~1");
            if (key.isEmpty() || key.length() > METADATA_KEY_MAX || key.startsWith(RESERVED_METADATA_PREFIX)) {
                problems.add(new DefinitionProblem(file, at, "metadata key '" + key + "' must be 1 to "
                        + METADATA_KEY_MAX + " characters and not start with '" + RESERVED_METADATA_PREFIX + "'"));
            }
            if (value != null && value.length() > METADATA_VALUE_MAX) {
                problems.add(new DefinitionProblem(file, at, "metadata value of '" + key + "' is " + value.length()
                        + " characters long; at most " + METADATA_VALUE_MAX + " are allowed"));
            }
        });
        return problems;
    }
}
