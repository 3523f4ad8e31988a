/**
 * Where definitions are deployed: the regions of a deployment, each with its project endpoint and the
 * regional names of every logical resource definitions use (model deployments, knowledge sources,
 * connections). {@link dev.continuity.topology.TopologyLoader} reads a topology file (with
 * {@code ${ENV}} substitution, refusing secrets); {@link dev.continuity.topology.BindingValidator}
 * checks that a region binds everything a set of definitions names.
 */
package dev.continuity.topology;
