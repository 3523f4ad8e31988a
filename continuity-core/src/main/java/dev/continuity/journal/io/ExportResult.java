package dev.continuity.journal.io;

/**
 * What an export wrote (or a check found in a file).
 *
 * @param conversations conversation head lines
 * @param turns turn lines
 */
public record ExportResult(long conversations, long turns) {
}
