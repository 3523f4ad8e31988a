/**
 * Retention of the journal (issue 15, item 2): {@link dev.continuity.retention.JournalPruner} removes whole
 * conversations idle for longer than the retention period, never a prefix of a live one, and reports what it
 * removed, what it kept and why.
 */
package dev.continuity.retention;
