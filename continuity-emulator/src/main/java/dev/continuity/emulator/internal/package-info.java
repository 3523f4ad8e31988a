/**
 * Implementation of the emulator: HTTP listeners and routing, per-region stores, JSON shapes, limits,
 * fault injection, the admin API and TLS material. Not an API: use {@link dev.continuity.emulator.Emulator}.
 */
package dev.continuity.emulator.internal;
