/**
 * The journaling client: {@link dev.continuity.client.ContinuityClient} sends conversation turns to the
 * active region's Agent Service and journals every turn before the caller sees it, so the conversation
 * can be replayed into another region.
 */
package dev.continuity.client;
