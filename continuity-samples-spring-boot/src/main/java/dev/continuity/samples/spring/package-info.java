/**
 * A Spring Boot agent app configured from {@code application.yml} alone through the Continuity starter: a chat
 * endpoint over the {@code triage} agent, Actuator health for Azure Front Door.
 */
package dev.continuity.samples.spring;
