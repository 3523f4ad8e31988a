/**
 * A sample application that embeds Continuity the way a production app does: {@link
 * dev.continuity.samples.SupportDeskApp} (a support desk talking to the {@code triage} agent, with
 * function tools answered by {@link dev.continuity.samples.TicketDesk}).
 */
package dev.continuity.samples;
