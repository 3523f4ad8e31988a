/**
 * Validation: proof that a rehydrated region answers as the primary did: agents probed, conversations
 * compared item by item with the journal, recall checks asked. Configured by
 * {@link dev.continuity.validation.ValidationOptions}, reported as a
 * {@link dev.continuity.validation.ValidationReport}.
 */
package dev.continuity.validation;
