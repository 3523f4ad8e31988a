package dev.continuity.journal.sqlite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.continuity.journal.ConversationHead;
import dev.continuity.journal.JournalException;
import dev.continuity.journal.Turn;
import dev.continuity.journal.TurnItem;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A journal on read-only media (a backup): file mode 0444 in a directory of mode 0555 (as root, where
 * modes do not stop writes, a read-only bind mount of the directory). It opens read-only, reads
 * everything, creates nothing, and every write (and an attempt to open it for writing) fails naming the
 * file. Also: journals are created owner-only.
 */
@Tag("adversarial")
class ReadOnlyJournalTest {

    private static final Instant STARTED = Instant.parse("2025-03-01T10:15:30.123Z");

    @TempDir
    Path directory;
    private Path backup;
    private Path journalFile;
    private Path mounted;

    @BeforeEach
    void writeABackup() throws Exception {
        backup = directory.resolve("backup");
        Path file = backup.resolve("journal.db");
        try (SqliteTurnJournal journal = SqliteTurnJournal.open(file)) {
            journal.compareAndSetHead(ConversationHead.start("k", "agent", null, STARTED), 0).orElseThrow();
            journal.append(Turn.pending("k", 1, "agent", null, List.of(TurnItem.userMessage("hello")), STARTED));
        }
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("r--r--r--"));
        Files.setPosixFilePermissions(backup, PosixFilePermissions.fromString("r-xr-xr-x"));
        journalFile = file;
        if (Files.isWritable(file)) {
            // root ignores modes: make the directory read-only media for real
            Path target = Files.createDirectory(directory.resolve("media"));
            if (run("mount", "--bind", backup.toString(), target.toString())) {
                mounted = target;
                if (!run("mount", "-o", "remount,bind,ro", target.toString())) {
                    throw new IllegalStateException("cannot remount " + target + " read-only");
                }
                journalFile = target.resolve("journal.db");
            }
        }
    }

    @AfterEach
    void unmount() throws Exception {
        if (mounted != null) {
            run("umount", mounted.toString());
        }
        Files.setPosixFilePermissions(backup, PosixFilePermissions.fromString("rwx------"));
    }

    private static boolean run(String... command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        process.getInputStream().readAllBytes();
        return process.waitFor() == 0;
    }

    private List<String> listing() throws IOException {
        try (Stream<Path> files = Files.list(journalFile.getParent())) {
            return files.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void aReadOnlyJournalOpensReadOnlyAndCreatesNothing() throws Exception {
        List<String> before = listing();
        byte[] bytes = Files.readAllBytes(journalFile);
        try (SqliteTurnJournal journal = SqliteTurnJournal.openReadOnly(journalFile)) {
            assertThat(journal.head("k")).isPresent();
            assertThat(journal.read("k", 1)).singleElement().extracting(Turn::sequence).isEqualTo(1L);
            assertThat(journal.listConversations(null, 10).items()).hasSize(1);
        }
        assertThat(listing()).as("no -wal or -shm file created").isEqualTo(before);
        assertThat(Files.readAllBytes(journalFile)).isEqualTo(bytes);
    }

    @Test
    void writesToAReadOnlyJournalFailNamingTheFile() {
        try (SqliteTurnJournal journal = SqliteTurnJournal.openReadOnly(journalFile)) {
            assertThatThrownBy(() -> journal.append(Turn.pending("k", 2, "agent", null,
                    List.of(TurnItem.userMessage("again")), STARTED)))
                    .isInstanceOf(JournalException.class).hasMessageContaining(journalFile.toString())
                    .hasMessageContaining("read-only");
        }
    }

    @Test
    void openingAJournalOnReadOnlyMediaForWritingSaysSo() {
        if (mounted == null && Files.isWritable(journalFile)) {
            // root without mount: the media cannot be made read-only here; the read-only open is covered above
            assertThat(SqliteTurnJournal.open(journalFile).schemaVersion()).isEqualTo(SqliteSchema.VERSION);
            return;
        }
        assertThatThrownBy(() -> SqliteTurnJournal.open(journalFile)).isInstanceOf(JournalException.class)
                .hasMessageContaining(journalFile.toString()).hasMessageContaining("read-only");
    }

    @Test
    void aMissingOrEmptyFileIsNotOpenedReadOnly() throws IOException {
        Path missing = directory.resolve("none.db");
        assertThatThrownBy(() -> SqliteTurnJournal.openReadOnly(missing)).isInstanceOf(JournalException.class)
                .hasMessageContaining(missing.toString()).hasMessageContaining("no such file");
        assertThat(missing).doesNotExist();
        Path empty = Files.createFile(directory.resolve("empty.db"));
        assertThatThrownBy(() -> SqliteTurnJournal.openReadOnly(empty)).isInstanceOf(JournalException.class)
                .hasMessageContaining("not a Continuity journal");
    }

    @Test
    void journalsAndTheirDirectoriesAreCreatedOwnerOnly() throws IOException {
        Path file = directory.resolve("new/dir/journal.db");
        try (SqliteTurnJournal journal = SqliteTurnJournal.open(file)) {
            journal.compareAndSetHead(ConversationHead.start("k", "agent", null, STARTED), 0).orElseThrow();
            try (Stream<Path> files = Files.list(file.getParent())) {
                for (Path created : files.toList()) { // the database, its -wal and -shm while open
                    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(created)))
                            .as(created.toString()).isEqualTo("rw-------");
                }
            }
        }
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file.getParent())))
                .isEqualTo("rwx------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(directory.resolve("new"))))
                .isEqualTo("rwx------");
    }
}
