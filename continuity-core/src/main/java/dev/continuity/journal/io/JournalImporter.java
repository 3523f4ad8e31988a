package dev.continuity.journal.io;

import dev.continuity.journal.AppendResult;
import dev.continuity.journal.ConversationHead;
import dev.continuity.journal.JournalException;
import dev.continuity.journal.RegionCursor;
import dev.continuity.journal.TenantScopedJournal;
import dev.continuity.journal.Turn;
import dev.continuity.journal.TurnJournal;
import dev.continuity.journal.TurnStatus;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes a {@link JournalFormat} file into a {@link TurnJournal}, idempotently.
 *
 * <ol>
 *   <li>The whole file is checked first ({@link #check}): its format, and the invariants every journal
 *       keeps, by the rule the journals apply ({@link dev.continuity.journal.spi.TurnWriteRules#requireAppendable}:
 *       one agent per conversation, turns from 1 without gaps, no turn after a pending one, well-formed
 *       turns). A file that breaks one is refused with a {@link JournalFileException} naming the file,
 *       line, conversation and sequence, and nothing is written.</li>
 *   <li>Then, conversation by conversation: the head is created when the journal has none (a head with
 *       the same agent and version counts as already present; another agent is a conflict); each turn
 *       is appended ({@link TurnJournal#append} is idempotent by key and sequence: an identical turn counts
 *       as already present; a turn the journal holds as pending and the file as committed is committed
 *       with the file's outcome; anything else different is a conflict); finally the region cursors
 *       the head has no cursor for are added (unless cursors are dropped).</li>
 * </ol>
 * A conversation keeps the file's tenant (the default tenant for files without one), except through a
 * {@link TenantScopedJournal}: then every conversation of the file joins that tenant (how existing conversations
 * move to a tenant). A conversation the journal holds for another tenant is a conflict.
 * Importing the same file twice changes nothing the second time. A conflict stops the import at that
 * line; what the lines before it described is in the journal, and importing again (after resolving the
 * conflict) continues where it stopped. The journal stamps activity itself, so an imported head's
 * {@code lastActivityAt} is the time of the import, not the file's.
 */
public final class JournalImporter {

    private static final Logger LOG = LoggerFactory.getLogger(JournalImporter.class);
    private static final int HEAD_UPDATE_ATTEMPTS = 16;

    private final TurnJournal journal;
    private final boolean importCursors;

    /** An importer into {@code journal} that imports the file's region cursors too. */
    public JournalImporter(TurnJournal journal) {
        this(journal, true);
    }

    /**
     * An importer into {@code journal}.
     *
     * @param importCursors false to leave region cursors out (for a journal used against other Foundry
     *     projects than the exported one: conversations are then replayed into a region on first use)
     */
    public JournalImporter(TurnJournal journal, boolean importCursors) {
        this.journal = Objects.requireNonNull(journal, "journal");
        this.importCursors = importCursors;
    }

    /**
     * Checks every line of {@code file} without writing anything.
     *
     * @return the file's counts
     * @throws JournalFileException naming the first bad line
     */
    public static ExportResult check(Path file) {
        return new JournalFileReader(file, true).read(new JournalFileReader.Handler() {
            @Override
            public void conversation(ConversationHead head, long line) {
            }

            @Override
            public void turn(Turn turn, long line) {
            }

            @Override
            public void conversationComplete(ConversationHead head, long headLine) {
            }
        });
    }

    /**
     * Checks {@code file}, then imports it.
     *
     * @return what was written and what was already present
     * @throws JournalFileException naming the file and line of a malformed line (nothing written) or of
     *     a line that conflicts with the journal (lines before it imported)
     */
    public ImportResult importFile(Path file) {
        check(file);
        return importChecked(file);
    }

    /**
     * Imports a file {@link #check(Path)} has already accepted, without checking it again first.
     *
     * @return what was written and what was already present
     * @throws JournalFileException naming the file and line of a line that conflicts with the journal (or
     *     turned bad since the check; lines before it imported)
     */
    public ImportResult importChecked(Path file) {
        Writing writing = new Writing(file);
        new JournalFileReader(file, false).read(writing);
        ImportResult result = writing.result();
        LOG.info("imported {}: {} conversations written, {} present; {} turns written, {} present; {} cursors written",
                file, result.conversationsWritten(), result.conversationsPresent(), result.turnsWritten(),
                result.turnsPresent(), result.cursorsWritten());
        return result;
    }

    /** The write pass. */
    private final class Writing implements JournalFileReader.Handler {
        private final Path file;
        private long conversationsWritten;
        private long conversationsPresent;
        private long turnsWritten;
        private long turnsPresent;
        private long cursorsWritten;

        Writing(Path file) {
            this.file = file;
        }

        ImportResult result() {
            return new ImportResult(conversationsWritten, conversationsPresent, turnsWritten, turnsPresent,
                    cursorsWritten);
        }

        private boolean nothingWrittenYet() {
            return conversationsWritten == 0 && turnsWritten == 0 && cursorsWritten == 0;
        }

        private JournalFileException conflict(long line, String reason, Throwable cause) {
            return new JournalFileException(file, line, reason + (nothingWrittenYet()
                    ? "; nothing was imported" : "; the lines before it were imported"), nothingWrittenYet(), cause);
        }

        @Override
        public void conversation(ConversationHead head, long line) {
            String key = head.conversationKey();
            try {
                // into a tenant's view, every conversation of the file joins that tenant; else it keeps the file's
                String tenant = journal instanceof TenantScopedJournal scoped ? scoped.tenant() : head.tenant();
                Optional<ConversationHead> stored = journal.head(key);
                if (stored.isEmpty()) {
                    ConversationHead fresh = new ConversationHead(key, head.agentName(), head.agentVersion(), 0,
                            head.createdAt(), head.lastActivityAt(), Map.of(), 0, tenant);
                    if (journal.compareAndSetHead(fresh, 0).isPresent()) {
                        conversationsWritten++;
                        return;
                    }
                    stored = journal.head(key); // created meanwhile by someone else: compare with it
                }
                ConversationHead existing = stored.orElseThrow();
                if (!existing.agentName().equals(head.agentName())
                        || !Objects.equals(existing.agentVersion(), head.agentVersion())) {
                    throw conflict(line, "conversation '" + key + "' exists in the journal for agent '"
                            + existing.agentName() + "'" + version(existing.agentVersion()) + ", the file has agent '"
                            + head.agentName() + "'" + version(head.agentVersion()), null);
                }
                if (!existing.tenant().equals(tenant)) {
                    throw conflict(line, "conversation '" + key + "' exists in the journal for tenant '"
                            + existing.tenant() + "', the file's conversation is tenant '" + tenant + "'", null);
                }
                conversationsPresent++;
            } catch (JournalException e) {
                throw conflict(line, "conversation '" + key + "': " + e.getMessage(), e);
            }
        }

        @Override
        public void turn(Turn turn, long line) {
            try {
                if (journal.append(turn) == AppendResult.WRITTEN) {
                    turnsWritten++;
                } else {
                    turnsPresent++;
                }
            } catch (JournalException e) {
                Optional<Turn> stored = journal.turn(turn.conversationKey(), turn.sequence());
                if (stored.isPresent() && stored.get().status() == TurnStatus.PENDING
                        && turn.status() == TurnStatus.COMMITTED && stored.get().sameRequest(turn)) {
                    try {
                        journal.commit(turn.conversationKey(), turn.sequence(), turn.outcome());
                    } catch (JournalException commitFailure) {
                        throw conflict(line, commitFailure.getMessage(), commitFailure);
                    }
                    turnsWritten++;
                    return;
                }
                throw conflict(line, e.getMessage(), e);
            }
        }

        @Override
        public void conversationComplete(ConversationHead head, long headLine) {
            if (!importCursors || head.regions().isEmpty()) {
                return;
            }
            String key = head.conversationKey();
            try {
                for (int attempt = 0; attempt < HEAD_UPDATE_ATTEMPTS; attempt++) {
                    ConversationHead stored = journal.head(key).orElseThrow(() -> new JournalException(
                            "conversation '" + key + "' has no head"));
                    Map<String, RegionCursor> missing = new HashMap<>();
                    head.regions().forEach((region, cursor) -> {
                        if (stored.region(region) == null) {
                            missing.put(region, cursor);
                        }
                    });
                    if (missing.isEmpty()) {
                        return;
                    }
                    ConversationHead updated = stored;
                    for (Map.Entry<String, RegionCursor> cursor : missing.entrySet()) {
                        updated = updated.withRegion(cursor.getKey(), cursor.getValue());
                    }
                    if (journal.compareAndSetHead(updated, stored.version()).isPresent()) {
                        cursorsWritten += missing.size();
                        return;
                    }
                }
                throw new JournalException("the head of conversation '" + key + "' kept changing ("
                        + HEAD_UPDATE_ATTEMPTS + " attempts)");
            } catch (JournalException e) {
                throw conflict(headLine, "region cursors of conversation '" + key + "': " + e.getMessage(), e);
            }
        }
    }

    private static String version(String agentVersion) {
        return agentVersion == null ? "" : " version " + agentVersion;
    }
}
