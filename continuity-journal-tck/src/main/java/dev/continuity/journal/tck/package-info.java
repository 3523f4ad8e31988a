/**
 * The turn journal compatibility kit: {@link dev.continuity.journal.tck.TurnJournalContract}, the JUnit 5
 * suite every {@link dev.continuity.journal.TurnJournal} implementation must pass unchanged (the in-memory,
 * SQLite and Cosmos DB journals run it in their own builds).
 */
package dev.continuity.journal.tck;
