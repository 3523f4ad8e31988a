package dev.continuity.knowledge;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.stream.Stream;

/**
 * Files under a local directory as a knowledge source: for development, demos and the drill. In
 * production the source of truth is geo-redundant Blob Storage
 * ({@code dev.continuity.foundry.BlobKnowledgeSource} in continuity-foundry).
 */
public final class DirectoryKnowledgeSource implements KnowledgeSource {
    private final Path root;

    /** Every regular file under {@code root} (hidden files and folders excluded). */
    public DirectoryKnowledgeSource(Path root) {
        this.root = Objects.requireNonNull(root, "root").toAbsolutePath().normalize();
        if (!Files.isDirectory(this.root)) {
            throw new IllegalArgumentException("knowledge directory " + this.root + " does not exist");
        }
    }

    @Override
    public String describe() {
        return "directory " + root;
    }

    @Override
    public List<String> list() {
        try (Stream<Path> files = Files.walk(root)) {
            return files.filter(Files::isRegularFile)
                    .map(root::relativize)
                    .filter(p -> !p.toString().startsWith(".") && !p.toString().contains("/."))
                    .map(p -> p.toString().replace('\\', '/'))
                    .sorted()
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + root, e);
        }
    }

    @Override
    public byte[] read(String path) {
        Path file = root.resolve(path).normalize();
        if (!file.startsWith(root)) {
            throw new IllegalArgumentException("path '" + path + "' is outside " + root);
        }
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }
}
