/**
 * Implementation of validation. Not an API: use {@link dev.continuity.validation.ValidationOptions}
 * through {@link dev.continuity.rehydrate.Rehydrator}.
 */
package dev.continuity.validation.internal;
