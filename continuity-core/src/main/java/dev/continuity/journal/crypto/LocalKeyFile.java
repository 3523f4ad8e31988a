package dev.continuity.journal.crypto;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.continuity.json.ExactJson;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.Base64;
import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;
import javax.crypto.Cipher;
import javax.crypto.spec.SecretKeySpec;

/**
 * A key-encryption key kept in a local file, for laptops, tests and the drill (production keys belong in a key
 * vault: {@code KeyVaultKeyEncryptionKey} in continuity-foundry). It wraps data keys with AES-256 key wrap
 * (RFC 3394, {@code A256KW}) under the file's current version; every version stays in the file, so data keys
 * wrapped before a {@link #rotate()} stay readable until re-wrapped.
 *
 * <p>The file (created owner-read/write only where the file system has POSIX permissions) is JSON:
 * <pre>{@code
 * {
 *   "format": "continuity-key-file/1",
 *   "name": "laptop",
 *   "current": 2,
 *   "versions": [
 *     {"version": 1, "createdAt": "2026-12-02T05:00:00Z", "key": "<base64 of 32 random bytes>"},
 *     {"version": 2, "createdAt": "2026-12-09T05:00:00Z", "key": "<base64 of 32 random bytes>"}
 *   ]
 * }
 * }</pre>
 * A data key wrapped by version 2 names key {@code local:laptop/2}. Whoever can read the file can read the
 * journal: keep it out of the journal's directory and out of version control.
 */
public final class LocalKeyFile implements KeyEncryptionKey {

    /** The value of the file's {@code format} field. */
    public static final String FORMAT = "continuity-key-file/1";
    /** The wrapping algorithm's name. */
    public static final String ALGORITHM = "A256KW";
    private static final ObjectMapper MAPPER = ExactJson.newMapper();
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Path file;
    private final String name;
    private final int current;
    private final Map<Integer, Version> versions;

    private record Version(int version, Instant createdAt, byte[] key) {
    }

    private LocalKeyFile(Path file, String name, int current, Map<Integer, Version> versions) {
        this.file = file;
        this.name = name;
        this.current = current;
        this.versions = Collections.unmodifiableMap(new TreeMap<>(versions));
    }

    /**
     * Creates a key file with one new random key (version 1).
     *
     * @param name the key's name (letters, digits, {@code -_.}), part of the key id
     * @throws IllegalArgumentException if the file exists or the name is not allowed
     */
    public static LocalKeyFile create(Path file, String name) {
        if (name == null || !name.matches("[A-Za-z0-9._-]{1,64}")) {
            throw new IllegalArgumentException("key file " + file + ": name '" + name
                    + "' must be 1 to 64 letters, digits, '.', '_' or '-'");
        }
        if (Files.exists(file)) {
            throw new IllegalArgumentException("key file " + file + " exists already; open it, or rotate it");
        }
        LocalKeyFile created = new LocalKeyFile(file, name, 1, Map.of(1, newVersion(1, Clock.systemUTC())));
        created.write(false);
        return created;
    }

    /**
     * Opens a key file.
     *
     * @throws IllegalArgumentException naming the file and field when it is missing, unreadable or malformed
     */
    public static LocalKeyFile open(Path file) {
        JsonNode root;
        try {
            root = MAPPER.readTree(Files.readString(file, StandardCharsets.UTF_8));
        } catch (java.nio.file.NoSuchFileException e) {
            throw new IllegalArgumentException("key file " + file + " does not exist", e);
        } catch (IOException e) {
            throw new IllegalArgumentException("key file " + file + " cannot be read: " + e.getMessage(), e);
        }
        if (root == null || !FORMAT.equals(root.path("format").asText())) {
            throw new IllegalArgumentException("key file " + file + ": field 'format' must be '" + FORMAT + "'");
        }
        String name = root.path("name").asText("");
        if (!name.matches("[A-Za-z0-9._-]{1,64}")) {
            throw new IllegalArgumentException("key file " + file + ": field 'name' must be 1 to 64 letters, digits, "
                    + "'.', '_' or '-'");
        }
        Map<Integer, Version> versions = new TreeMap<>();
        JsonNode list = root.path("versions");
        if (!list.isArray() || list.isEmpty()) {
            throw new IllegalArgumentException("key file " + file + ": field 'versions' must list at least one key");
        }
        for (int i = 0; i < list.size(); i++) {
            JsonNode entry = list.get(i);
            String where = "key file " + file + ": versions[" + i + "]";
            int version = entry.path("version").asInt(0);
            if (version < 1 || versions.containsKey(version)) {
                throw new IllegalArgumentException(where + ".version must be a positive number used once");
            }
            byte[] key;
            try {
                key = Base64.getDecoder().decode(entry.path("key").asText(""));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(where + ".key is not base64", e);
            }
            if (key.length != 32) {
                throw new IllegalArgumentException(where + ".key must be 32 bytes (AES-256), is " + key.length);
            }
            Instant created;
            try {
                created = Instant.parse(entry.path("createdAt").asText());
            } catch (java.time.format.DateTimeParseException e) {
                throw new IllegalArgumentException(where + ".createdAt is not an ISO-8601 instant", e);
            }
            versions.put(version, new Version(version, created, key));
        }
        int current = root.path("current").asInt(0);
        if (!versions.containsKey(current)) {
            throw new IllegalArgumentException("key file " + file + ": field 'current' (" + root.path("current")
                    + ") names no version in 'versions'");
        }
        return new LocalKeyFile(file, name, current, versions);
    }

    /**
     * Adds a new random key version, makes it current and rewrites the file (atomically where the file system
     * can). Data keys wrapped so far stay readable; {@link EncryptingTurnJournal#rewrapDataKeys()} moves them to
     * the new version.
     *
     * @return the key file as it is now
     */
    public LocalKeyFile rotate() {
        int next = versions.keySet().stream().mapToInt(Integer::intValue).max().orElse(0) + 1;
        Map<Integer, Version> more = new TreeMap<>(versions);
        more.put(next, newVersion(next, Clock.systemUTC()));
        LocalKeyFile rotated = new LocalKeyFile(file, name, next, more);
        rotated.write(true);
        return rotated;
    }

    /** The file. */
    public Path file() {
        return file;
    }

    /** The key id of the current version ({@code local:NAME/VERSION}). */
    public String currentKeyId() {
        return keyId(current);
    }

    @Override
    public String name() {
        return "local:" + name + " (" + file.getFileName() + ")";
    }

    @Override
    public boolean recognizes(String keyId) {
        return keyId.startsWith("local:" + name + "/");
    }

    @Override
    public WrappedKey wrap(byte[] dataKey) {
        try {
            Cipher cipher = Cipher.getInstance("AESWrap");
            cipher.init(Cipher.WRAP_MODE, new SecretKeySpec(versions.get(current).key(), "AES"));
            return WrappedKey.of(keyId(current), ALGORITHM, cipher.wrap(new SecretKeySpec(dataKey, "AES")));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES key wrap failed: " + e.getMessage(), e);
        }
    }

    @Override
    public byte[] unwrap(WrappedKey wrapped) {
        if (!recognizes(wrapped.keyId())) {
            throw new IllegalArgumentException("key '" + wrapped.keyId() + "' is not a version of " + name());
        }
        if (!ALGORITHM.equals(wrapped.algorithm())) {
            throw new IllegalArgumentException("key '" + wrapped.keyId() + "' wraps with " + ALGORITHM + ", not "
                    + wrapped.algorithm());
        }
        int version;
        try {
            version = Integer.parseInt(wrapped.keyId().substring(("local:" + name + "/").length()));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("key id '" + wrapped.keyId() + "' names no version number", e);
        }
        Version entry = versions.get(version);
        if (entry == null) {
            throw new IllegalArgumentException("key file " + file + " has no version " + version + " of key '" + name
                    + "' (it has " + versions.keySet() + ")");
        }
        try {
            Cipher cipher = Cipher.getInstance("AESWrap");
            cipher.init(Cipher.UNWRAP_MODE, new SecretKeySpec(entry.key(), "AES"));
            return cipher.unwrap(wrapped.bytes(), "AES", Cipher.SECRET_KEY).getEncoded();
        } catch (java.security.InvalidKeyException e) {
            throw new IllegalArgumentException("version " + version + " of key '" + name + "' in " + file
                    + " did not wrap this data key (integrity check failed): the key file was replaced?", e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES key unwrap failed: " + e.getMessage(), e);
        }
    }

    private String keyId(int version) {
        return "local:" + name + "/" + version;
    }

    private static Version newVersion(int version, Clock clock) {
        byte[] key = new byte[32];
        RANDOM.nextBytes(key);
        return new Version(version, clock.instant().truncatedTo(java.time.temporal.ChronoUnit.SECONDS), key);
    }

    private void write(boolean replace) {
        ObjectNode root = MAPPER.createObjectNode();
        root.put("format", FORMAT);
        root.put("name", name);
        root.put("current", current);
        ArrayNode list = root.putArray("versions");
        versions.values().forEach(v -> list.addObject().put("version", v.version())
                .put("createdAt", v.createdAt().toString()).put("key", Base64.getEncoder().encodeToString(v.key())));
        String text;
        try {
            text = MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(root) + "\n";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Path absolute = file.toAbsolutePath();
        Path temp = absolute.resolveSibling(absolute.getFileName() + ".tmp");
        try {
            Files.deleteIfExists(temp);
            Files.createFile(temp);
            try {
                Files.setPosixFilePermissions(temp, PosixFilePermissions.fromString("rw-------"));
            } catch (UnsupportedOperationException e) {
                // not a POSIX file system: the directory's permissions protect the file
            }
            Files.writeString(temp, text, StandardCharsets.UTF_8);
            if (replace) {
                Files.move(temp, absolute, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } else {
                Files.move(temp, absolute);
            }
        } catch (FileAlreadyExistsException e) {
            throw new IllegalArgumentException("key file " + file + " exists already; open it, or rotate it", e);
        } catch (IOException e) {
            throw new UncheckedIOException("key file " + file + " cannot be written: " + e.getMessage(), e);
        }
    }
}
