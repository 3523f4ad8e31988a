package dev.continuity.journal.io;

import dev.continuity.journal.Turn;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The digest of a turn in a {@link JournalFormat} file: {@code sha256:} and the lowercase hex SHA-256 of the
 * turn's canonical form, which is its turn line as {@link JournalExporter} writes it without the {@code digest}
 * field (UTF-8; fields in the exporter's fixed order, items in the journal's canonical JSON, no whitespace). The
 * digest covers everything the line holds: key, sequence, agent, status, items, response id, region, usage,
 * times and options. Two exports of the same turn in the same form (both decrypted, or both still encrypted)
 * have the same digest; a decrypted and an encrypted export of a turn do not.
 */
public final class TurnDigest {

    /** The prefix naming the algorithm. */
    public static final String PREFIX = "sha256:";

    private TurnDigest() {
    }

    /** The digest of {@code turn}. */
    public static String of(Turn turn) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            byte[] hash = sha.digest(JournalExporter.canonicalTurn(turn).getBytes(StandardCharsets.UTF_8));
            return PREFIX + HexFormat.of().formatHex(hash);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is not available in this JVM", e); // every JVM has it
        }
    }
}
