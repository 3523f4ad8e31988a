/**
 * Implementation of rehydration: how its events are delivered. Not an API: use
 * {@link dev.continuity.rehydrate.Rehydrator}.
 */
package dev.continuity.rehydrate.internal;
