/**
 * Implementation of the change-feed warm standby ({@link dev.continuity.cosmos.WarmStandby}): reading
 * journal changes, tracking the standby region's lag, and replaying changed conversations. Not an API:
 * types here may change without notice.
 */
package dev.continuity.cosmos.internal.standby;
