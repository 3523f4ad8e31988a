package dev.continuity.drill;

import static org.assertj.core.api.Assertions.assertThat;

/** What the drill's memory rebuild into the secondary must have done, shared by the drill tests. */
final class MemoryRebuilt {
    private MemoryRebuilt() {
    }

    /**
     * One store created in the secondary (the deploy created the primary's), every conversation of the memory
     * agent sent (the traffic's concierge conversations and the memory check's two in the primary; every one
     * with its user known: none unscoped) and every update completed.
     *
     * @param rebuilds rehydrations that rebuilt memories (lazy: the failover's; eager: also the background one)
     */
    static void assertRebuilt(DrillReport.Memory memory, long rebuilds) {
        assertThat(memory.rebuilds()).as("%s", memory).isEqualTo(rebuilds);
        assertThat(memory.storesCreated()).as("%s", memory).isEqualTo(1);
        assertThat(memory.unscoped()).as("%s", memory).isZero();
        assertThat(memory.failed()).as("%s", memory).isZero();
        assertThat(memory.conversations()).as("%s", memory).isGreaterThanOrEqualTo(2 * rebuilds);
        assertThat(memory.updates()).as("%s", memory).isGreaterThanOrEqualTo(memory.conversations());
        assertThat(memory.completed()).as("%s", memory).isEqualTo(memory.updates());
        // each update started and polled at least once (the store's read and create belong to the agents phase)
        assertThat(memory.calls()).as("%s", memory).isGreaterThanOrEqualTo(2 * memory.updates());
    }
}
