package dev.continuity.knowledge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.continuity.foundry.FoundryKnowledgeService;
import dev.continuity.rehydrate.TwoRegions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The service indexes attached files asynchronously ({@code in_progress} first): knowledge sync waits
 * through the real openai-java client until every file is {@code completed}, and names a file the
 * service failed to index.
 */
class KnowledgeSyncIndexingTest {

    private TwoRegions regions;
    private FoundryKnowledgeService primary;

    @TempDir
    Path handbook;

    @BeforeEach
    void start() {
        regions = new TwoRegions();
        primary = new FoundryKnowledgeService(TwoRegions.PRIMARY, regions.service(TwoRegions.PRIMARY).clients());
    }

    @AfterEach
    void stop() {
        regions.close();
    }

    @Test
    void syncReturnsOnlyWhenTheServiceHasIndexedEveryFile() throws IOException {
        regions.emulator.region(TwoRegions.PRIMARY).indexingDelay(Duration.ofSeconds(1));
        Files.writeString(handbook.resolve("leave.md"), "Leave is 25 days.");
        Files.writeString(handbook.resolve("refunds.txt"), "Refunds within 30 days.");

        KnowledgeSyncReport report = new FileKnowledgeSync(primary).sync("handbook", new DirectoryKnowledgeSource(handbook));

        assertThat(report.added()).containsExactly("leave.md", "refunds.txt");
        assertThat(primary.listVectorStoreFiles(report.vectorStoreId()))
                .extracting(VectorStoreFileEntry::status).containsOnly("completed");
        assertThat(regions.count(TwoRegions.PRIMARY, "vector_stores.files.get")).isPositive();
    }

    @Test
    void aFileTheServiceCannotIndexFailsTheSyncNamingItAndTheReason() throws IOException {
        Files.writeString(handbook.resolve("leave.md"), "Leave is 25 days.");
        Files.write(handbook.resolve("scan.bin"), new byte[] {1, 2, 3});

        assertThatThrownBy(() -> new FileKnowledgeSync(primary).sync("handbook", new DirectoryKnowledgeSource(handbook)))
                .isInstanceOf(KnowledgeSyncException.class)
                .hasMessageContaining("'scan.bin'")
                .hasMessageContaining("status failed")
                .hasMessageContaining("unsupported_file")
                .hasMessageContaining(TwoRegions.PRIMARY);
    }

    @Test
    void aFileStillIndexingAfterTheTimeoutFailsTheSync() throws IOException {
        regions.emulator.region(TwoRegions.PRIMARY).indexingDelay(Duration.ofHours(1));
        Files.writeString(handbook.resolve("leave.md"), "Leave is 25 days.");

        assertThatThrownBy(() -> new FileKnowledgeSync(primary, 1, Duration.ofMillis(200))
                .sync("handbook", new DirectoryKnowledgeSource(handbook)))
                .isInstanceOf(KnowledgeSyncException.class)
                .hasMessageContaining("did not finish indexing 'leave.md'")
                .hasMessageContaining("PT0.2S");
    }
}
