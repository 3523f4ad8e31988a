package dev.continuity.journal.sqlite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A row packed by SQLite into one value reads back as the driver reads its columns one by one. */
class PackedRowTest {

    @Test
    void textsAndIntegersComeBackAsTheDriverReadsThemColumnByColumn() throws SQLException {
        List<String> texts = List.of("", "plain", "héllo 世界 🚀", "nul \u0000 inside", "~", "12:34;", "\u0000");
        List<Long> integers = List.of(0L, -1L, 7L, Long.MAX_VALUE, Long.MIN_VALUE, -1_234_567_890_123L);
        try (Connection connection = DriverManager.getConnection("jdbc:sqlite::memory:");
                Statement statement = connection.createStatement()) {
            statement.execute("CREATE TABLE r (id INTEGER PRIMARY KEY, t TEXT, i INTEGER, n INTEGER)");
            try (PreparedStatement insert = connection.prepareStatement("INSERT INTO r (t, i, n) VALUES (?, ?, NULL)")) {
                for (int row = 0; row < Math.max(texts.size(), integers.size()); row++) {
                    insert.setString(1, texts.get(row % texts.size()));
                    insert.setLong(2, integers.get(row % integers.size()));
                    insert.executeUpdate();
                }
                insert.setNull(1, java.sql.Types.VARCHAR);
                insert.setNull(2, java.sql.Types.INTEGER);
                insert.executeUpdate();
            }
            List<List<Object>> columnByColumn = new ArrayList<>();
            try (ResultSet rs = statement.executeQuery("SELECT t, i, n, t FROM r ORDER BY id")) {
                while (rs.next()) {
                    long i = rs.getLong(2);
                    columnByColumn.add(Arrays.asList(rs.getString(1), rs.wasNull() ? null : i, null, rs.getString(4)));
                }
            }
            List<List<Object>> packed = new ArrayList<>();
            String select = "SELECT " + PackedRow.of(PackedRow.text("t"), PackedRow.integer("i"), PackedRow.integer("n"),
                    PackedRow.text("t")) + " FROM r ORDER BY id";
            try (ResultSet rs = statement.executeQuery(select)) {
                while (rs.next()) {
                    PackedRow row = new PackedRow(rs.getBytes(1));
                    packed.add(Arrays.asList(row.text(), row.integerOrNull(), row.integerOrNull(), row.text()));
                    assertThat(row.done()).isTrue();
                }
            }

            assertThat(packed).hasSize(texts.size() + 1).isEqualTo(columnByColumn);
            assertThat(packed.get(3).get(0)).isEqualTo("nul \u0000 inside");
            assertThat(packed.get(texts.size()).get(0)).isNull();
        }
    }

    @Test
    void damagedValuesAreRefused() {
        for (String damaged : List.of("", "5:abc", "x:abc", "-:", "3;", "99999999999999999999;", "~", "~;", "~:")) {
            PackedRow row = new PackedRow(damaged.getBytes(StandardCharsets.UTF_8));
            assertThatThrownBy(() -> {
                row.text();
                row.integer();
            }).as("reading %s", damaged).isInstanceOf(IllegalArgumentException.class);
        }
        assertThatThrownBy(() -> new PackedRow(null)).isInstanceOf(IllegalArgumentException.class);
    }
}
