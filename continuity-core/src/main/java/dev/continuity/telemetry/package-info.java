/**
 * Continuity's telemetry SPI: the few points where the turn protocol, the replayer, the rehydrator, the warm
 * standby and the failover controller tell what they do ({@link dev.continuity.telemetry.ContinuityTelemetry}),
 * with a no-op default. Core holds no OpenTelemetry type: the {@code continuity-opentelemetry} module implements
 * this SPI with {@code opentelemetry-api} (spans, metrics, GenAI semantic conventions); see
 * {@code docs/observability.md}.
 */
package dev.continuity.telemetry;
