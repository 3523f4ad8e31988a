package dev.continuity.deploy;

import java.util.List;
import java.util.stream.Collectors;

/**
 * What one deploy run did, one outcome per agent and region, in deploy order.
 *
 * @param outcomes the outcomes
 */
public record DeployReport(List<DeployOutcome> outcomes) {

    /** Copies the list. */
    public DeployReport {
        outcomes = List.copyOf(outcomes);
    }

    /** The created versions. */
    public List<DeployOutcome.Created> created() {
        return of(DeployOutcome.Created.class);
    }

    /** The agents that were already up to date. */
    public List<DeployOutcome.Unchanged> unchanged() {
        return of(DeployOutcome.Unchanged.class);
    }

    /** The failures. */
    public List<DeployOutcome.Failed> failed() {
        return of(DeployOutcome.Failed.class);
    }

    /** True when no agent failed. */
    public boolean succeeded() {
        return failed().isEmpty();
    }

    private <T extends DeployOutcome> List<T> of(Class<T> type) {
        return outcomes.stream().filter(type::isInstance).map(type::cast).collect(Collectors.toUnmodifiableList());
    }
}
