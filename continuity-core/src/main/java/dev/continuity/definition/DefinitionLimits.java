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
}
