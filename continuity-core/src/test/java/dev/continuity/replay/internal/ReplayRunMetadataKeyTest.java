package dev.continuity.replay.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** How {@link ReplayRun#metadataKey} names a journal key in a regional conversation's metadata. */
class ReplayRunMetadataKeyTest {

    @Test
    void aKeyThatFitsAMetadataValueIsKeptAsItIs() {
        assertThat(ReplayRun.metadataKey("conv-1")).isEqualTo("conv-1");
        String longest = "k".repeat(ReplayRun.METADATA_VALUE_MAX);
        assertThat(ReplayRun.metadataKey(longest)).isEqualTo(longest);
    }

    @Test
    void aLongerKeyIsNamedByItsSha256() {
        String key = "k".repeat(ReplayRun.METADATA_VALUE_MAX + 1);
        String named = ReplayRun.metadataKey(key);
        assertThat(named).startsWith("sha256:").hasSize("sha256:".length() + 64).matches("sha256:[0-9a-f]{64}");
        assertThat(ReplayRun.metadataKey(key)).isEqualTo(named);
        assertThat(ReplayRun.metadataKey(key + "x")).isNotEqualTo(named);
    }
}
