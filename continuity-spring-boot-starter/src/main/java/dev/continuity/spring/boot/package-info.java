/**
 * Spring Boot auto-configuration for Continuity: {@link dev.continuity.spring.boot.ContinuityProperties} (prefix
 * {@code continuity}) assembles one {@link dev.continuity.foundry.ContinuityStack} and exposes its client, asynchronous
 * client and failover controller as beans, with the warm standby when the journal is Cosmos DB; with Actuator, the
 * {@code continuity} health indicator and the {@code /actuator/continuity} endpoint report the active region, each
 * region's probe state and the standby's lag (see docs/spring-boot.md).
 */
package dev.continuity.spring.boot;
