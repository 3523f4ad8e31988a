package dev.continuity.preflight;

import dev.continuity.agentservice.AgentService;
import dev.continuity.definition.AgentDefinition;
import dev.continuity.topology.Region;
import java.util.Collection;
import java.util.List;

/**
 * An extra preflight check, run after the built-in ones (bindings, reachability, journal). The hook
 * for checks against the service's model deployments (deployment exists, model name and version as
 * the topology declares) once {@code azure-ai-projects}' deployments client is wired in.
 */
@FunctionalInterface
public interface PreflightCheck {

    /** Every problem found for rehydrating {@code definitions} into {@code region}; never throws for a finding. */
    List<PreflightProblem> check(Region region, AgentService target, Collection<AgentDefinition> definitions);
}
