package dev.continuity.deploy;

import java.util.Objects;

/** What deploying one agent to one region did. */
public sealed interface DeployOutcome permits DeployOutcome.Created, DeployOutcome.Unchanged, DeployOutcome.Failed {

    /** The agent name. */
    String agent();

    /** The region. */
    String region();

    /** The source version that was deployed (or attempted). */
    String sourceVersion();

    /** One line for people: {@code CREATED policy-bot eastus2 version 3 (source 2026-06-26)}. */
    String describe();

    /**
     * A new agent version was created.
     *
     * @param agent agent name
     * @param region region
     * @param sourceVersion source version deployed
     * @param serviceVersion the version the service assigned
     * @param hash the deploy hash recorded on it
     */
    record Created(String agent, String region, String sourceVersion, String serviceVersion, String hash)
            implements DeployOutcome {
        /** Validates. */
        public Created {
            Objects.requireNonNull(agent, "agent");
            Objects.requireNonNull(region, "region");
        }

        @Override
        public String describe() {
            return "CREATED   " + agent + " " + region + " version " + serviceVersion + " (source " + sourceVersion + ")";
        }
    }

    /**
     * The latest deployed version already carries this content hash; nothing was written.
     *
     * @param agent agent name
     * @param region region
     * @param sourceVersion source version selected
     * @param serviceVersion the service's latest version, which already matches
     * @param hash the matching deploy hash
     */
    record Unchanged(String agent, String region, String sourceVersion, String serviceVersion, String hash)
            implements DeployOutcome {
        /** Validates. */
        public Unchanged {
            Objects.requireNonNull(agent, "agent");
            Objects.requireNonNull(region, "region");
        }

        @Override
        public String describe() {
            return "UNCHANGED " + agent + " " + region + " version " + serviceVersion + " (source " + sourceVersion
                    + ")";
        }
    }

    /**
     * The agent could not be deployed (missing binding, service error); other agents are unaffected.
     *
     * @param agent agent name
     * @param region region
     * @param sourceVersion source version attempted
     * @param reason what went wrong
     */
    record Failed(String agent, String region, String sourceVersion, String reason) implements DeployOutcome {
        /** Validates. */
        public Failed {
            Objects.requireNonNull(agent, "agent");
            Objects.requireNonNull(region, "region");
            Objects.requireNonNull(reason, "reason");
        }

        @Override
        public String describe() {
            return "FAILED    " + agent + " " + region + " (source " + sourceVersion + "): " + reason;
        }
    }
}
