/**
 * The emulator's scripted model: deterministic answers computed only from the agent's definition and
 * the conversation's items, so a conversation replayed into another region answers the same.
 *
 * <p>{@link dev.continuity.emulator.internal.model.ScriptedModel} tries its {@link dev.continuity.emulator.internal.model.ScriptCommand}s
 * in order; add a command to teach it something new.
 */
package dev.continuity.emulator.internal.model;
