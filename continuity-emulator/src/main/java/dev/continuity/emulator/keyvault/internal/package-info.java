/** The Key Vault emulator's keys and request handling. Not for use outside continuity-emulator. */
package dev.continuity.emulator.keyvault.internal;
