/** A wire-compatible local Foundry Agent Service. */
package dev.continuity.emulator;
