/**
 * Continuity's OpenTelemetry integration: {@link dev.continuity.opentelemetry.ContinuityOpenTelemetry} implements
 * the core telemetry SPI ({@link dev.continuity.telemetry.ContinuityTelemetry}) with {@code opentelemetry-api} only.
 * See {@code docs/observability.md} for the spans, attributes and metrics.
 */
package dev.continuity.opentelemetry;
