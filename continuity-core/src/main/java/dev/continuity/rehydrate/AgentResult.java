package dev.continuity.rehydrate;

import dev.continuity.deploy.DeployOutcome;
import java.util.Objects;

/**
 * What the agents phase did for one agent.
 *
 * @param agent the agent name
 * @param status created, unchanged or failed
 * @param serviceVersion the service's version afterwards ({@code null} when failed)
 * @param detail the deploy hash, or the failure reason
 */
public record AgentResult(String agent, Status status, String serviceVersion, String detail) {

    /** Agent outcome. */
    public enum Status {
        /** A new version was created (the region lacked this content). */
        CREATED,
        /** The region already had this content; nothing was written. */
        UNCHANGED,
        /** The agent could not be deployed. */
        FAILED
    }

    /** Validates the fields. */
    public AgentResult {
        Objects.requireNonNull(agent, "agent");
        Objects.requireNonNull(status, "status");
    }

    /** From the deployer's outcome. */
    public static AgentResult of(DeployOutcome outcome) {
        if (outcome instanceof DeployOutcome.Created c) {
            return new AgentResult(c.agent(), Status.CREATED, c.serviceVersion(), c.hash());
        }
        if (outcome instanceof DeployOutcome.Unchanged u) {
            return new AgentResult(u.agent(), Status.UNCHANGED, u.serviceVersion(), u.hash());
        }
        DeployOutcome.Failed f = (DeployOutcome.Failed) outcome;
        return new AgentResult(f.agent(), Status.FAILED, null, f.reason());
    }
}
