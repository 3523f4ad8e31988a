/**
 * What every part of Continuity shares: {@link dev.continuity.ContinuityException}, the root of every
 * exception the library throws, and {@link dev.continuity.RetrySettings}, how the journaling client, the
 * replayer and the warm standby retry failed calls (one formula for all three).
 */
package dev.continuity;
