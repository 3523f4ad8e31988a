/**
 * A minimal local Azure AI Search REST service (indexes, documents, {@code $count}, a simple search) with
 * several named search services, for tests of search index parity. See {@link dev.continuity.emulator.search.SearchEmulator}.
 */
package dev.continuity.emulator.search;
