package dev.continuity.io;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.text.Normalizer;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * A folder whose files are read only from inside it: the one path-containment rule of Continuity, used
 * wherever a user-given folder (the definitions folder, a knowledge folder) is walked or a name from a
 * file (a knowledge source name) becomes a folder or file name.
 *
 * <ul>
 *   <li><b>Real paths.</b> The root is resolved to its real path once ({@link #of}); a root that is
 *       itself a symbolic link is fine (the caller chose it). Everything read below it is resolved to its
 *       real path and must lie under the root's real path.</li>
 *   <li><b>Symbolic links.</b> A link whose target stays inside the root is followed (a file linked into
 *       two places, a shared folder); a link whose target leaves the root is refused, as are a dangling
 *       link (its target does not exist) and a link loop (a chain of links that never ends, or a folder
 *       link leading back to a folder it is in). Each refusal names the link as the caller reached it
 *       (e.g. {@code agents/knowledge/handbook/passwd}). Hard links cannot be told from ordinary files
 *       and are not refused.</li>
 *   <li><b>Names.</b> A logical name used as a folder or file name ({@link #child},
 *       {@link #nameProblem}) must be one portable path segment: no {@code ..} or {@code .}, no path
 *       separator, no absolute path or drive letter, no NUL or control character, no leading dot (hidden),
 *       no trailing dot or space, none of {@code < > : " | ? *}, no Windows device name ({@code CON},
 *       {@code NUL}, {@code COM1}, ...), in Unicode NFC form, and the same name after the platform parses
 *       it. A relative path ({@link #read}, {@link #relativePathProblem}) is {@code /}-separated segments
 *       with no empty, {@code .} or {@code ..} segment, no backslash, NUL, leading {@code /} or drive
 *       letter.</li>
 *   <li><b>Walks</b> ({@link #list}) skip names starting with {@code .} (and everything under such a
 *       folder, e.g. {@code .git}) and collect every refusal instead of stopping at the first, so a caller
 *       can report them all; devices, pipes and sockets are refused, never read.</li>
 * </ul>
 *
 * <p>The rule protects against careless and hostile content of the folder as it is when read (a
 * definition naming {@code ../../outside}, a link to {@code /etc/passwd}); it does not make reads atomic
 * against someone swapping files in the folder while it is read.
 */
public final class ContainedRoot {

    private static final Pattern DRIVE = Pattern.compile("^[A-Za-z]:.*", Pattern.DOTALL);
    private static final Set<String> DEVICE_NAMES = Set.of("CON", "PRN", "AUX", "NUL", "COM1", "COM2", "COM3", "COM4",
            "COM5", "COM6", "COM7", "COM8", "COM9", "LPT1", "LPT2", "LPT3", "LPT4", "LPT5", "LPT6", "LPT7", "LPT8",
            "LPT9");
    private static final String NOT_PORTABLE = "<>:\"|?*";
    private static final int NAME_MAX_BYTES = 255;

    private final Path given;
    private final Path real;

    private ContainedRoot(Path given, Path real) {
        this.given = given;
        this.real = real;
    }

    /**
     * The folder {@code directory}, resolved to its real path.
     *
     * @throws PathRefusedException when it does not exist, is not a folder or cannot be resolved
     */
    public static ContainedRoot of(Path directory) {
        Objects.requireNonNull(directory, "directory");
        Path real;
        try {
            real = directory.toRealPath();
        } catch (NoSuchFileException e) {
            throw new PathRefusedException(directory, Files.isSymbolicLink(directory)
                    ? "symbolic link whose target does not exist" : "folder does not exist");
        } catch (IOException e) {
            throw new PathRefusedException(directory, "cannot be resolved: " + reason(e));
        }
        if (!Files.isDirectory(real)) {
            throw new PathRefusedException(directory, "not a folder");
        }
        return new ContainedRoot(directory, real);
    }

    /** The folder as the caller named it (used in messages). */
    public Path path() {
        return given;
    }

    /** The folder's real path: everything this root reads lies under it. */
    public Path realPath() {
        return real;
    }

    /**
     * The sub-folder named by the logical name {@code name} (e.g. a knowledge source under
     * {@code agents/knowledge}), itself a contained root.
     *
     * @throws PathRefusedException when the name is not a safe folder name ({@link #nameProblem}), the
     *     folder does not exist, is not a folder, or is a link leaving this root
     */
    public ContainedRoot child(String name) {
        Path named = given.resolve(nameOrRefuse(name));
        Path target = resolveInside(named, real.resolve(name));
        if (!Files.isDirectory(target, LinkOption.NOFOLLOW_LINKS)) {
            throw new PathRefusedException(named, "not a folder");
        }
        return new ContainedRoot(named, target);
    }

    /**
     * The real path of the regular file at {@code relativePath} ({@code /}-separated) under this root.
     *
     * @throws PathRefusedException when the path is not a safe relative path ({@link #relativePathProblem}),
     *     the file does not exist, is not a regular file, or is (or lies behind) a link leaving this root
     */
    public Path resolveFile(String relativePath) {
        Optional<String> problem = relativePathProblem(relativePath);
        if (problem.isPresent()) {
            throw new PathRefusedException(given, "path '" + printable(String.valueOf(relativePath)) + "' "
                    + problem.get());
        }
        Path named = given.resolve(relativePath);
        Path target = resolveInside(named, real.resolve(relativePath));
        if (!Files.isRegularFile(target, LinkOption.NOFOLLOW_LINKS)) {
            throw new PathRefusedException(named, "not a regular file");
        }
        return target;
    }

    /**
     * The bytes of the regular file at {@code relativePath} under this root (see {@link #resolveFile}).
     *
     * @throws PathRefusedException when the path is refused
     * @throws java.io.UncheckedIOException when the file cannot be read
     */
    public byte[] read(String relativePath) {
        Path target = resolveFile(relativePath);
        try (InputStream in = Files.newInputStream(target, LinkOption.NOFOLLOW_LINKS)) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("cannot read " + given.resolve(relativePath) + ": " + reason(e), e);
        }
    }

    /** A file found by {@link #list}: its {@code /}-separated path below the root, the path as reached, its real path. */
    public record ContainedFile(String relativePath, Path path, Path realPath) {
    }

    /** A file or link {@link #list} refused: the path as reached (the link, not its target) and why. */
    public record Refusal(Path file, String reason) {
        /** As {@code file: reason}. */
        @Override
        public String toString() {
            return file + ": " + reason;
        }
    }

    /** What {@link #list} found: the accepted files sorted by relative path, and every refusal. */
    public record Listing(List<ContainedFile> files, List<Refusal> refused) {
        /** Copies both lists. */
        public Listing {
            files = List.copyOf(files);
            refused = List.copyOf(refused);
        }

        /**
         * The files, when nothing was refused.
         *
         * @throws PathRefusedException naming the first refused file (and how many more there are)
         */
        public List<ContainedFile> filesOrThrow() {
            if (!refused.isEmpty()) {
                Refusal first = refused.get(0);
                throw new PathRefusedException(first.file(), first.reason() + (refused.size() == 1 ? ""
                        : " (and " + (refused.size() - 1) + " more refused: " + refused.subList(1, refused.size()) + ")"));
            }
            return files;
        }
    }

    /**
     * Every regular file below the root whose file name {@code fileNames} accepts (links inside the root
     * followed, names starting with {@code .} skipped), and every refusal: a link leaving the root (when
     * its name is accepted or it leads to a folder), a dangling link or link loop (when its name is
     * accepted), a device, pipe or socket (when its name is accepted), a folder that cannot be listed.
     */
    public Listing list(Predicate<String> fileNames) {
        Objects.requireNonNull(fileNames, "fileNames");
        List<ContainedFile> files = new ArrayList<>();
        List<Refusal> refused = new ArrayList<>();
        Deque<Path> ancestors = new ArrayDeque<>();
        ancestors.push(real);
        walk(real, "", ancestors, fileNames, files, refused);
        files.sort(Comparator.comparing(ContainedFile::relativePath));
        return new Listing(files, refused);
    }

    private void walk(Path dir, String prefix, Deque<Path> ancestors, Predicate<String> fileNames,
            List<ContainedFile> files, List<Refusal> refused) {
        List<Path> entries = new ArrayList<>();
        try (DirectoryStream<Path> stream = Files.newDirectoryStream(dir)) {
            stream.forEach(entries::add);
        } catch (IOException e) {
            refused.add(new Refusal(displayPath(prefix.isEmpty() ? "" : prefix.substring(0, prefix.length() - 1)),
                    "folder cannot be listed: " + reason(e)));
            return;
        }
        entries.sort(Comparator.comparing(p -> p.getFileName().toString()));
        for (Path entry : entries) {
            String name = entry.getFileName().toString();
            if (name.startsWith(".")) {
                continue;
            }
            String relative = prefix + name;
            Path shown = displayPath(relative);
            boolean wanted = fileNames.test(name);
            BasicFileAttributes attributes;
            Path target = entry;
            try {
                attributes = Files.readAttributes(entry, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
                if (attributes.isSymbolicLink()) {
                    String link = linkProblem(entry);
                    if (link != null) {
                        if (wanted) {
                            refused.add(new Refusal(shown, link));
                        }
                        continue;
                    }
                    target = entry.toRealPath();
                    attributes = Files.readAttributes(target, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
                    if (!target.startsWith(real)) {
                        if (wanted || attributes.isDirectory()) {
                            refused.add(new Refusal(shown, "symbolic link to " + linkTarget(entry) + " leaves "
                                    + given + " (it resolves to " + target + ")"));
                        }
                        continue;
                    }
                }
            } catch (IOException e) {
                if (wanted) {
                    refused.add(new Refusal(shown, "cannot be read: " + reason(e)));
                }
                continue;
            }
            if (attributes.isDirectory()) {
                if (ancestors.contains(target)) {
                    refused.add(new Refusal(shown, "symbolic link loop: " + linkTarget(entry)
                            + " leads back to the folder " + target + " it is in"));
                    continue;
                }
                ancestors.push(target);
                walk(target, relative + "/", ancestors, fileNames, files, refused);
                ancestors.pop();
            } else if (wanted) {
                if (attributes.isRegularFile()) {
                    files.add(new ContainedFile(relative, shown, target));
                } else {
                    refused.add(new Refusal(shown, "not a regular file or folder (a device, pipe or socket)"));
                }
            }
        }
    }

    /**
     * Why the logical name {@code name} cannot be used as a folder or file name, or empty when it can
     * (the rule is in the class documentation).
     */
    public static Optional<String> nameProblem(String name) {
        if (name == null || name.isEmpty()) {
            return Optional.of("is empty");
        }
        Optional<String> common = segmentProblem(name, "name");
        if (common.isPresent()) {
            return common;
        }
        if (name.indexOf('/') >= 0) {
            return Optional.of("contains a path separator '/'; a name is one folder name, not a path");
        }
        if (name.startsWith(".")) {
            return Optional.of("starts with '.' (a hidden name)");
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c < 0x20 || c == 0x7F) {
                return Optional.of("contains a control character (U+" + String.format(Locale.ROOT, "%04X", (int) c) + ")");
            }
            if (NOT_PORTABLE.indexOf(c) >= 0) {
                return Optional.of("contains '" + c + "', which is not allowed in a folder name on every system");
            }
        }
        if (name.endsWith(".") || name.endsWith(" ") || !name.strip().equals(name)) {
            return Optional.of("ends with a dot or starts or ends with whitespace (some systems drop them)");
        }
        String stem = name.contains(".") ? name.substring(0, name.indexOf('.')) : name;
        if (DEVICE_NAMES.contains(stem.toUpperCase(Locale.ROOT))) {
            return Optional.of("is a reserved device name on Windows");
        }
        if (!Normalizer.isNormalized(name, Normalizer.Form.NFC)) {
            return Optional.of("is not in Unicode NFC form (it normalises to '"
                    + Normalizer.normalize(name, Normalizer.Form.NFC) + "'); write it precomposed");
        }
        if (name.getBytes(StandardCharsets.UTF_8).length > NAME_MAX_BYTES) {
            return Optional.of("is longer than " + NAME_MAX_BYTES + " bytes in UTF-8");
        }
        try {
            Path parsed = Path.of(name);
            if (parsed.isAbsolute() || parsed.getNameCount() != 1 || !parsed.toString().equals(name)
                    || !parsed.normalize().toString().equals(name)) {
                return Optional.of("is not one folder name on this system (it parses as '" + parsed + "')");
            }
        } catch (InvalidPathException e) {
            return Optional.of("is not a valid folder name on this system: " + e.getReason());
        }
        return Optional.empty();
    }

    /**
     * Why {@code relativePath} ({@code /}-separated, below a root) is unsafe, or empty when it is safe
     * (no empty, {@code .} or {@code ..} segment, no backslash or NUL, not absolute, no drive letter).
     */
    public static Optional<String> relativePathProblem(String relativePath) {
        if (relativePath == null || relativePath.isEmpty()) {
            return Optional.of("is empty");
        }
        Optional<String> common = segmentProblem(relativePath, "path");
        if (common.isPresent()) {
            return common;
        }
        for (String segment : relativePath.split("/", -1)) {
            if (segment.isEmpty()) {
                return Optional.of("has an empty segment (a doubled, leading or trailing '/')");
            }
            if (segment.equals(".") || segment.equals("..")) {
                return Optional.of("has a '" + segment + "' segment (path traversal)");
            }
        }
        return Optional.empty();
    }

    /** Checks shared by names and relative paths. */
    private static Optional<String> segmentProblem(String value, String what) {
        if (value.indexOf('\0') >= 0) {
            return Optional.of("contains a NUL character");
        }
        if (value.equals(".") || value.equals("..")) {
            return Optional.of("is '" + value + "' (path traversal)");
        }
        if (value.startsWith("/")) {
            return Optional.of("is an absolute path; a " + what + " must be relative to its folder");
        }
        if (value.indexOf('\\') >= 0) {
            return Optional.of("contains a backslash (a path separator on Windows)");
        }
        if (DRIVE.matcher(value).matches()) {
            return Optional.of("starts with a drive letter ('" + value.substring(0, 2) + "')");
        }
        return Optional.empty();
    }

    /**
     * Returns {@code name} when {@link #nameProblem} finds nothing.
     *
     * @throws PathRefusedException naming the folder and the name, otherwise
     */
    private String nameOrRefuse(String name) {
        Optional<String> problem = nameProblem(name);
        if (problem.isPresent()) {
            throw new PathRefusedException(given, "name '" + printable(name) + "' " + problem.get());
        }
        return name;
    }

    /** The real path of {@code candidate} (reached as {@code named}), refused unless it exists inside the root. */
    private Path resolveInside(Path named, Path candidate) {
        Path target;
        try {
            target = candidate.toRealPath();
        } catch (NoSuchFileException e) {
            String link = Files.isSymbolicLink(candidate) ? linkProblem(candidate) : null;
            throw new PathRefusedException(named, link != null ? link : "does not exist");
        } catch (IOException e) {
            String link = Files.isSymbolicLink(candidate) ? linkProblem(candidate) : null;
            throw new PathRefusedException(named, link != null ? link : "cannot be resolved: " + reason(e));
        }
        if (!target.startsWith(real)) {
            throw new PathRefusedException(named, "resolves to " + target + ", outside " + given
                    + " (a symbolic link leaving the folder)");
        }
        return target;
    }

    /** Why the link {@code link} cannot be followed at all (dangling, loop), or null when it can. */
    private static String linkProblem(Path link) {
        try {
            link.toRealPath();
            return null;
        } catch (NoSuchFileException | NotDirectoryException e) {
            return "dangling symbolic link: its target " + linkTarget(link) + " does not exist";
        } catch (FileSystemException e) {
            String why = e.getReason() == null ? "" : e.getReason();
            if (why.toLowerCase(Locale.ROOT).contains("symbolic link") || why.toLowerCase(Locale.ROOT).contains("loop")) {
                return "symbolic link loop: " + linkTarget(link) + " never reaches a file (" + why + ")";
            }
            return "symbolic link cannot be resolved: " + reason(e);
        } catch (IOException e) {
            return "symbolic link cannot be resolved: " + reason(e);
        }
    }

    private static String linkTarget(Path link) {
        try {
            return "'" + Files.readSymbolicLink(link) + "'";
        } catch (IOException | UnsupportedOperationException e) {
            return "(unreadable target)";
        }
    }

    private Path displayPath(String relative) {
        if (relative.isEmpty()) {
            return given;
        }
        try {
            return given.resolve(relative);
        } catch (InvalidPathException e) {
            return given.resolve(printable(relative).replace('/', '_').replace('\\', '_'));
        }
    }

    private static String printable(String value) {
        StringBuilder out = new StringBuilder();
        value.codePoints().forEach(c -> {
            if (c < 0x20 || c == 0x7F) {
                out.append(String.format(Locale.ROOT, "\\u%04X", c));
            } else {
                out.appendCodePoint(c);
            }
        });
        return out.toString();
    }

    private static String reason(IOException e) {
        if (e instanceof FileSystemException f && f.getReason() != null) {
            return f.getReason();
        }
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }

    @Override
    public String toString() {
        return given.toString();
    }
}
