package dev.continuity.drift;

/** What differs between a region and the definitions. */
public enum DriftKind {
    /** A defined agent does not exist in the region. */
    MISSING_AGENT,
    /** The agent's latest version carries another {@code continuity-hash} than the definition renders to. */
    HASH_MISMATCH,
    /** The agent's latest version has no {@code continuity-hash}: it was changed outside Continuity. */
    UNMANAGED_VERSION,
    /** The latest version's model deployment differs from the one the definition renders to in this region. */
    MODEL_MISMATCH,
    /** The model deployment serves another model than the topology declares (needs a {@link DeploymentInspector}). */
    DEPLOYMENT_MODEL_MISMATCH,
    /** The model deployment runs another model version than the topology declares (needs a {@link DeploymentInspector}). */
    DEPLOYMENT_VERSION_MISMATCH,
    /** The model deployment the definition renders to does not exist (needs a {@link DeploymentInspector}). */
    DEPLOYMENT_MISSING,
    /** An agent deployed by Continuity ({@code continuity-hash} present) that no definition names any more. */
    EXTRA_AGENT,
    /** The definition cannot be rendered for the region (a binding is missing from the topology). */
    UNRENDERABLE,
    /** A memory store an agent's {@code memory_search} tool binds in the region does not exist there (needs a memory store service). */
    MEMORY_STORE_MISSING,
    /** The region's memory store has another definition (chat/embedding model, options) than its binding (needs a memory store service). */
    MEMORY_STORE_MISMATCH
}
