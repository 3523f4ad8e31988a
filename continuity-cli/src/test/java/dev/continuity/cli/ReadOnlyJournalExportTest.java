package dev.continuity.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.continuity.journal.ConversationHead;
import dev.continuity.journal.Turn;
import dev.continuity.journal.TurnItem;
import dev.continuity.journal.sqlite.SqliteTurnJournal;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code export} of a journal on read-only media (file 0444 in a directory 0555; as root a read-only bind
 * mount) works, and what it writes is owner-only.
 */
@Tag("adversarial")
class ReadOnlyJournalExportTest {

    @TempDir
    Path directory;
    private Path mounted;
    private Path backup;
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    @AfterEach
    void unmount() throws Exception {
        if (mounted != null) {
            run("umount", mounted.toString());
        }
        if (backup != null) {
            Files.setPosixFilePermissions(backup, PosixFilePermissions.fromString("rwx------"));
        }
    }

    private static boolean run(String... command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        process.getInputStream().readAllBytes();
        return process.waitFor() == 0;
    }

    private Path readOnlyJournal() throws Exception {
        backup = directory.resolve("backup");
        Path file = backup.resolve("journal.db");
        Instant now = Instant.parse("2026-01-01T00:00:00Z");
        try (SqliteTurnJournal journal = SqliteTurnJournal.open(file)) {
            journal.compareAndSetHead(ConversationHead.start("k", "agent", null, now), 0).orElseThrow();
            journal.append(Turn.pending("k", 1, "agent", null, List.of(TurnItem.userMessage("hello")), now));
        }
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("r--r--r--"));
        Files.setPosixFilePermissions(backup, PosixFilePermissions.fromString("r-xr-xr-x"));
        if (Files.isWritable(file)) { // root ignores modes: read-only media for real
            Path target = Files.createDirectory(directory.resolve("media"));
            if (run("mount", "--bind", backup.toString(), target.toString())) {
                mounted = target;
                run("mount", "-o", "remount,bind,ro", target.toString());
                return target.resolve("journal.db");
            }
        }
        return file;
    }

    @Test
    void aJournalOnReadOnlyMediaIsExportedAndTheExportIsOwnerOnly() throws Exception {
        Path journal = readOnlyJournal();
        Path export = directory.resolve("exports/today/journal.jsonl");
        int code = Main.commandLine().setOut(new PrintWriter(out, true)).setErr(new PrintWriter(err, true))
                .execute("export", "--journal", "sqlite:" + journal, "--out", export.toString());

        assertThat(code).as(err.toString()).isEqualTo(ExitCodes.OK);
        assertThat(out.toString()).contains("exported 1 conversation(s), 1 turn(s)");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(export))).isEqualTo("rw-------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(export.getParent())))
                .isEqualTo("rwx------");
    }
}
