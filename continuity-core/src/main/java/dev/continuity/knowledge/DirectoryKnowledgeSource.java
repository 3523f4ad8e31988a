package dev.continuity.knowledge;

import dev.continuity.io.ContainedRoot;
import dev.continuity.io.PathRefusedException;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * Files under a local directory as a knowledge source: for development, demos and the drill. In
 * production the source of truth is geo-redundant Blob Storage
 * ({@code dev.continuity.foundry.BlobKnowledgeSource} in continuity-foundry).
 *
 * <p>Only files inside the directory are knowledge ({@link ContainedRoot}): a symbolic link whose target
 * stays inside it is followed; a link leaving it, a dangling link, a link loop, a device, pipe or socket
 * fails {@link #list()} naming the file (nothing is uploaded). Hidden files and folders (names starting
 * with {@code .}) are not knowledge.
 */
public final class DirectoryKnowledgeSource implements KnowledgeSource {
    private final ContainedRoot root;

    /**
     * Every regular file under {@code root} (hidden files and folders excluded).
     *
     * @throws IllegalArgumentException when {@code root} does not exist or is not a folder
     */
    public DirectoryKnowledgeSource(Path root) {
        Objects.requireNonNull(root, "root");
        try {
            this.root = ContainedRoot.of(root.toAbsolutePath());
        } catch (PathRefusedException e) {
            throw new IllegalArgumentException("knowledge directory " + e.getMessage(), e);
        }
    }

    private DirectoryKnowledgeSource(ContainedRoot root) {
        this.root = root;
    }

    /**
     * The folder named like the logical knowledge source {@code knowledgeName} under
     * {@code knowledgeRoot} (e.g. {@code agents/knowledge/employee-handbook}), never a folder elsewhere.
     *
     * @throws KnowledgeSyncException when the name is not a safe folder name (e.g. {@code ../../outside},
     *     an absolute path), the folder does not exist, or it is a link leaving {@code knowledgeRoot}
     */
    public static DirectoryKnowledgeSource named(Path knowledgeRoot, String knowledgeName) {
        Objects.requireNonNull(knowledgeRoot, "knowledgeRoot");
        Objects.requireNonNull(knowledgeName, "knowledgeName");
        try {
            return new DirectoryKnowledgeSource(ContainedRoot.of(knowledgeRoot).child(knowledgeName));
        } catch (PathRefusedException e) {
            throw new KnowledgeSyncException("knowledge source '" + knowledgeName + "' refused: " + e.getMessage(), e);
        }
    }

    @Override
    public String describe() {
        return "directory " + root.path();
    }

    /**
     * {@inheritDoc}
     *
     * @throws KnowledgeSyncException naming every file refused by the containment rule
     */
    @Override
    public List<String> list() {
        ContainedRoot.Listing listing = root.list(name -> true);
        if (!listing.refused().isEmpty()) {
            throw new KnowledgeSyncException("knowledge directory " + root.path() + ": " + listing.refused().size()
                    + " file(s) refused, nothing synced: " + listing.refused());
        }
        return listing.files().stream().map(ContainedRoot.ContainedFile::relativePath).toList();
    }

    /**
     * {@inheritDoc}
     *
     * @throws KnowledgeSyncException when the path is refused (traversal, a link leaving the folder, not a
     *     regular file)
     */
    @Override
    public byte[] read(String path) {
        try {
            return root.read(path);
        } catch (PathRefusedException e) {
            throw new KnowledgeSyncException("knowledge " + describe() + ": refused " + e.getMessage(), e);
        }
    }
}
