package dev.continuity;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The one place that creates Continuity's files and directories: on POSIX file systems files are created
 * owner-only ({@code 0600}: journals, their {@code -wal}/{@code -shm} files, exports, reports) and the
 * directories Continuity creates owner-only too ({@code 0700}); existing directories are left as they
 * are. Journals hold every conversation's content: nobody but their owner should read them. On file
 * systems without POSIX permissions (Windows) the platform's defaults apply.
 */
public final class ContinuityFiles {

    /** {@code rw-------}. */
    public static final Set<PosixFilePermission> FILE = PosixFilePermissions.fromString("rw-------");
    /** {@code rwx------}. */
    public static final Set<PosixFilePermission> DIRECTORY = PosixFilePermissions.fromString("rwx------");

    private ContinuityFiles() {
    }

    /**
     * Creates {@code directory} and its missing parents, each one created owner-only; returns it.
     *
     * @throws IOException if a directory cannot be created
     */
    public static Path createDirectories(Path directory) throws IOException {
        Path absolute = directory.toAbsolutePath();
        List<Path> missing = new ArrayList<>();
        for (Path p = absolute; p != null && !Files.isDirectory(p); p = p.getParent()) {
            missing.add(0, p);
        }
        for (Path p : missing) {
            try {
                if (posix(p)) {
                    Files.createDirectory(p, PosixFilePermissions.asFileAttribute(DIRECTORY));
                } else {
                    Files.createDirectory(p);
                }
            } catch (FileAlreadyExistsException raced) {
                if (!Files.isDirectory(p)) {
                    throw raced;
                }
            }
        }
        return directory;
    }

    /**
     * Creates the empty file {@code file} owner-only (its missing directories too).
     *
     * @throws FileAlreadyExistsException if it exists
     * @throws IOException if it cannot be created
     */
    public static Path createFile(Path file) throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null && !Files.isDirectory(parent)) {
            createDirectories(parent);
        }
        return posix(file) ? Files.createFile(file, ownerOnly()) : Files.createFile(file);
    }

    /**
     * Creates a new empty owner-only file in {@code directory} with a unique name (for a file written
     * beside its final name and moved into place).
     */
    public static Path createTempFile(Path directory, String prefix, String suffix) throws IOException {
        return posix(directory) ? Files.createTempFile(directory, prefix, suffix, ownerOnly())
                : Files.createTempFile(directory, prefix, suffix);
    }

    /**
     * Makes an existing file owner-only (a file written by a library that does not take permissions);
     * does nothing on file systems without POSIX permissions.
     */
    public static Path restrict(Path file) throws IOException {
        if (Files.exists(file) && posix(file)) {
            Files.setPosixFilePermissions(file, FILE);
        }
        return file;
    }

    private static FileAttribute<Set<PosixFilePermission>> ownerOnly() {
        return PosixFilePermissions.asFileAttribute(FILE);
    }

    private static boolean posix(Path path) {
        return path.getFileSystem().supportedFileAttributeViews().contains("posix");
    }
}
