package dev.continuity.journal.sqlite;

import static org.assertj.core.api.Assertions.assertThat;

import dev.continuity.journal.TurnJournal;
import dev.continuity.journal.crypto.EncryptingTurnJournal;
import dev.continuity.journal.crypto.LocalKeyFile;
import dev.continuity.journal.tck.PlaintextProbe;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * With encryption on, no row of the SQLite journal (and no byte of its files) holds the conversation's text; the
 * same journal without encryption does (so the scan can see plaintext).
 */
class EncryptedSqliteRowsHoldNoPlaintextTest {

    @TempDir
    Path directory;

    @Test
    void rowsAndFilesHoldNoPlaintextOfAnyMessageWhileTheJournalReadsItBack() throws Exception {
        Path file = directory.resolve("journal.db");
        PlaintextProbe probe = new PlaintextProbe("sqlite-probe-7Q");
        LocalKeyFile key = LocalKeyFile.create(directory.resolve("journal.key"), "probe");
        try (TurnJournal journal = EncryptingTurnJournal.builder(SqliteTurnJournal.open(file)).keyEncryptionKey(key)
                .build()) {
            probe.write(journal, "customer-1");
            probe.assertReadable(journal, "customer-1");
            probe.assertNoPlaintext("every row while open", allRows(file));
        }
        probe.assertNoPlaintext("every row", allRows(file));
        probe.assertNoPlaintext("the database files", allFileBytes());
        try (TurnJournal reopened = EncryptingTurnJournal.builder(SqliteTurnJournal.open(file))
                .keyEncryptionKey(LocalKeyFile.open(directory.resolve("journal.key"))).build()) {
            probe.assertReadable(reopened, "customer-1");
        }
    }

    @Test
    void theScanSeesPlaintextInAnUnencryptedJournal() throws Exception {
        Path file = directory.resolve("plain.db");
        PlaintextProbe probe = new PlaintextProbe("sqlite-probe-plain");
        try (TurnJournal journal = SqliteTurnJournal.open(file)) {
            probe.write(journal, "customer-1");
        }
        String rows = allRows(file);
        assertThat(probe.secrets()).allSatisfy(secret -> assertThat(rows).contains(secret));
    }

    private static String allRows(Path file) throws Exception {
        StringBuilder all = new StringBuilder();
        try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + file);
                Statement statement = connection.createStatement()) {
            for (String table : new String[] {"conversation", "turn"}) {
                try (ResultSet rows = statement.executeQuery("SELECT * FROM " + table)) {
                    int columns = rows.getMetaData().getColumnCount();
                    while (rows.next()) {
                        for (int c = 1; c <= columns; c++) {
                            all.append(rows.getString(c)).append('\n');
                        }
                    }
                }
            }
        }
        return all.toString();
    }

    private String allFileBytes() throws Exception {
        StringBuilder all = new StringBuilder();
        try (Stream<Path> files = Files.list(directory)) {
            for (Path path : files.filter(p -> p.getFileName().toString().startsWith("journal.db")).toList()) {
                all.append(new String(Files.readAllBytes(path), StandardCharsets.ISO_8859_1));
            }
        }
        return all.toString();
    }
}
