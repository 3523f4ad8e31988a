package dev.continuity.knowledge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.azure.core.util.BinaryData;
import com.azure.storage.blob.BlobContainerClient;
import dev.continuity.foundry.BlobKnowledgeSource;
import dev.continuity.foundry.FoundryKnowledgeService;
import dev.continuity.rehydrate.TwoRegions;
import dev.continuity.testsupport.Azurite;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * End to end through the real openai-java client into the emulator (and a real Blob Storage API,
 * Azurite): a knowledge sync never uploads a file from outside its folder or prefix, and says which file
 * it refused.
 */
@Tag("adversarial")
class KnowledgeSyncContainmentTest {

    private static Azurite azurite;

    @TempDir
    Path dir;

    private TwoRegions regions;
    private FoundryKnowledgeService target;

    @BeforeAll
    static void startAzurite() {
        azurite = Azurite.start();
    }

    @AfterAll
    static void stopAzurite() {
        azurite.close();
    }

    @BeforeEach
    void start() {
        regions = new TwoRegions();
        target = new FoundryKnowledgeService(TwoRegions.SECONDARY, regions.service(TwoRegions.SECONDARY).clients());
    }

    @AfterEach
    void stop() {
        regions.close();
    }

    @Test
    void aFileLinkedOutOfTheKnowledgeFolderIsRefusedAndNothingIsUploaded() throws IOException {
        Path handbook = Files.createDirectories(dir.resolve("knowledge/handbook"));
        Files.writeString(handbook.resolve("leave.md"), "Parental leave is 16 weeks.");
        Path secret = Files.writeString(dir.resolve("secret.txt"), "the database password");
        Files.createSymbolicLink(handbook.resolve("passwd.md"), secret);

        assertThatThrownBy(() -> new FileKnowledgeSync(target).sync("handbook", new DirectoryKnowledgeSource(handbook)))
                .isInstanceOf(KnowledgeSyncException.class)
                .hasMessageContaining(handbook.resolve("passwd.md").toString());

        assertThat(uploads()).isZero();
        assertThat(regions.emulator.region(TwoRegions.SECONDARY).fileCount()).isZero();
    }

    @Test
    void aSourceListingATraversingPathIsRefusedBeforeAnyUpload() throws IOException {
        Path handbook = Files.createDirectories(dir.resolve("knowledge/handbook"));
        Files.writeString(handbook.resolve("leave.md"), "Parental leave is 16 weeks.");
        Files.writeString(dir.resolve("secret.txt"), "the database password");
        // a source whose listing is wrong (or hostile): its own reads would go anywhere
        KnowledgeSource careless = new KnowledgeSource() {
            @Override
            public String describe() {
                return "a careless source";
            }

            @Override
            public List<String> list() {
                return List.of("../../secret.txt", "leave.md");
            }

            @Override
            public byte[] read(String path) {
                try {
                    return Files.readAllBytes(handbook.resolve(path));
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }
        };

        assertThatThrownBy(() -> new FileKnowledgeSync(target).sync("handbook", careless))
                .isInstanceOf(KnowledgeSyncException.class)
                .hasMessageContaining("'../../secret.txt'").hasMessageContaining("a careless source");

        assertThat(uploads()).isZero();
    }

    @Test
    void aBlobPrefixThatIsNotAFolderIsRefusedInsteadOfMatchingItsNeighbours() {
        BlobContainerClient container = container();
        container.getBlobClient("handbook/leave.md").upload(BinaryData.fromString("leave"));
        container.getBlobClient("handbook-private/salaries.md").upload(BinaryData.fromString("salaries"));

        assertThatThrownBy(() -> new BlobKnowledgeSource(container, "handbook"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("prefix 'handbook'").hasMessageContaining("end with '/'");
        assertThat(new BlobKnowledgeSource(container, "handbook/").list()).containsExactly("leave.md");
    }

    @Test
    void aBlobNamedWithADotDotSegmentIsRefusedNamingItAndNothingIsUploaded() {
        BlobContainerClient container = container();
        container.getBlobClient("handbook/leave.md").upload(BinaryData.fromString("leave"));
        container.getBlobClient("handbook/x/../../secret.md").upload(BinaryData.fromString("secret"));
        BlobKnowledgeSource source = new BlobKnowledgeSource(container, "handbook/");
        // Blob Storage keeps the name as written: the listing holds a path with '..' segments
        assertThat(source.list()).containsExactly("leave.md", "x/../../secret.md");

        assertThatThrownBy(() -> new FileKnowledgeSync(target).sync("handbook", source))
                .isInstanceOf(KnowledgeSyncException.class)
                .hasMessageContaining("x/../../secret.md").hasMessageContaining("'..'");
        assertThat(uploads()).isZero();
        assertThat(new String(container.getBlobClient("handbook/leave.md").downloadContent().toBytes(),
                StandardCharsets.UTF_8)).isEqualTo("leave");
    }

    private BlobContainerClient container() {
        BlobContainerClient container = azurite.client()
                .getBlobContainerClient("knowledge-" + UUID.randomUUID().toString().substring(0, 8));
        container.create();
        return container;
    }

    private long uploads() {
        return regions.emulator.region(TwoRegions.SECONDARY).operationCounts().getOrDefault("files.create", 0L);
    }
}
