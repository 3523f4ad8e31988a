/** The search emulator's HTTP handling and in-memory store. Not part of the public API. */
package dev.continuity.emulator.search.internal;
