package dev.continuity.spring.boot;

import dev.continuity.failover.ProbeSettings;
import dev.continuity.journal.TurnDurability;
import java.nio.file.Path;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Continuity's settings under the prefix {@code continuity} (docs/spring-boot.md describes each). The regions
 * come from the same topology file and agent definitions directory the command line uses; the journal is SQLite
 * ({@code continuity.journal.sqlite}) or Cosmos DB ({@code continuity.journal.cosmos.endpoint}, with the
 * application's {@code TokenCredential} bean, or the key in the environment variable
 * {@value ContinuityCosmosAutoConfiguration#KEY_VARIABLE}: never a key in a properties file).
 *
 * @param enabled whether the starter builds a stack at all
 * @param topology the topology file: regions, their project endpoints and bindings, the primary first
 *     ({@code ${NAME:-default}} in it reads the environment)
 * @param agents the directory of agent definitions, recreated in a region the stack fails over to
 * @param region the region this instance fronts (Azure Front Door's origin for it): the health indicator is
 *     {@code DOWN} while that region is down; unset, it is {@code DOWN} only while every region is
 * @param durability how turns are journaled; unset, the journal's default
 * @param journal where turns are journaled
 * @param failover how regions are probed and how a send waits for a failover
 * @param standby the warm standby (Cosmos DB journal only)
 * @param telemetry OpenTelemetry (with {@code continuity-opentelemetry} on the classpath)
 */
@ConfigurationProperties("continuity")
public record ContinuityProperties(
        @DefaultValue("true") boolean enabled,
        Path topology,
        Path agents,
        String region,
        TurnDurability durability,
        @DefaultValue Journal journal,
        @DefaultValue Failover failover,
        @DefaultValue Standby standby,
        @DefaultValue Telemetry telemetry) {

    /**
     * OpenTelemetry, when the application has {@code continuity-opentelemetry} on its classpath: spans and metrics
     * through the application's {@code OpenTelemetry} bean, or {@code GlobalOpenTelemetry} when it has none
     * (docs/observability.md).
     *
     * @param recordContent record message content on spans (off: only sizes and ids, never what was said)
     */
    public record Telemetry(@DefaultValue("false") boolean recordContent) {
    }

    /**
     * The journal: exactly one of {@code sqlite} and {@code cosmos.endpoint}.
     *
     * @param sqlite the SQLite journal file (created when absent)
     * @param cosmos the Cosmos DB journal
     */
    public record Journal(Path sqlite, @DefaultValue Cosmos cosmos) {
    }

    /**
     * A Cosmos DB journal (needs {@code continuity-cosmos} on the classpath).
     *
     * @param endpoint the account endpoint, e.g. {@code https://my-account.documents.azure.com:443/}
     * @param database the database
     * @param container the journal container (created when absent, partitioned as {@code partitioning} says)
     * @param gatewayMode connect in gateway mode (the local emulators speak nothing else) instead of direct mode
     * @param partitioning {@code conversation} (the default: {@code /conversationKey}) or {@code hierarchical}
     *     ({@code [/tenant, /conversationKey]}); a name of {@code dev.continuity.cosmos.CosmosPartitioning}, kept
     *     as text so that these properties bind without {@code continuity-cosmos} on the classpath
     */
    public record Cosmos(String endpoint, @DefaultValue("continuity") String database,
            @DefaultValue("turns") String container, @DefaultValue("false") boolean gatewayMode,
            @DefaultValue("conversation") String partitioning) {
    }

    /**
     * Failure detection and failover timings.
     *
     * @param probeInterval time between two health probes of a region
     * @param probeTimeout how long one probe waits for an answer
     * @param failureThreshold failed probes in a row that declare a region down (detection time is about
     *     {@code probeInterval * failureThreshold}, shorter when traffic reports the region first)
     * @param eagerReplay replay every conversation into the new region in the background after a failover
     *     (otherwise each on its next turn)
     * @param failoverWait how long a send waits for another region to take over after the active one stopped
     *     answering; unset, the client's default (30 s)
     */
    public record Failover(@DefaultValue("5s") Duration probeInterval, @DefaultValue("2s") Duration probeTimeout,
            @DefaultValue("3") int failureThreshold, @DefaultValue("true") boolean eagerReplay,
            Duration failoverWait) {

        /**
         * The probe settings these values make.
         *
         * @throws IllegalStateException naming the properties when they do not make probe settings
         */
        ProbeSettings probes() {
            try {
                return new ProbeSettings(probeInterval, probeTimeout, failureThreshold);
            } catch (IllegalArgumentException e) {
                throw new IllegalStateException("continuity.failover.probe-interval, probe-timeout, failure-threshold: "
                        + e.getMessage(), e);
            }
        }
    }

    /**
     * The warm standby: keeps a standby region's copy of every conversation up to date from the Cosmos DB
     * journal's change feed.
     *
     * @param enabled run a warm standby (needs a Cosmos DB journal)
     * @param region the standby region; unset, the topology's first secondary
     * @param leaseContainer the change feed's lease container in the journal's database (created when absent);
     *     instances sharing it share the feed
     * @param feedPollDelay how long the change feed processor waits before reading again once it has read
     *     everything (the floor of the standby's lag while idle)
     */
    public record Standby(@DefaultValue("false") boolean enabled, String region,
            @DefaultValue("turns-leases") String leaseContainer, @DefaultValue("1s") Duration feedPollDelay) {
    }
}
