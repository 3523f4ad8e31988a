/**
 * Agent definitions as code: version-controlled JSON files, one per agent version, naming only
 * <em>logical</em> resources (a model deployment name, knowledge sources, connections) that a
 * {@link dev.continuity.topology.Topology} binds per region.
 *
 * <p>{@link dev.continuity.definition.DefinitionLoader} reads a directory of definition files into a
 * {@link dev.continuity.definition.DefinitionSet} and reports every problem at once as
 * {@link dev.continuity.definition.DefinitionProblem}s (file + JSON pointer + reason).
 * {@link dev.continuity.definition.AgentDefinition#contentHash()} fingerprints a definition
 * independently of key order and whitespace. The file format is documented in
 * {@code docs/agent-definitions.md} and {@code agents/agent-definition.schema.json}.
 */
package dev.continuity.definition;
