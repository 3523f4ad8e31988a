package dev.continuity.cli;

import com.azure.identity.DefaultAzureCredentialBuilder;
import dev.continuity.foundry.KeyVaultKeyEncryptionKey;
import dev.continuity.journal.TurnJournal;
import dev.continuity.journal.crypto.EncryptingTurnJournal;
import dev.continuity.journal.crypto.KeyEncryptionKey;
import dev.continuity.journal.crypto.LocalKeyFile;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * The options that open an encrypted journal ({@code --key-file} or {@code --key-vault-key}), mixed into every
 * command that opens one: the journal is then read and written through an {@link EncryptingTurnJournal}.
 */
final class JournalKeyOptions {

    @Option(names = "--key-file", paramLabel = "FILE", description = "The journal is encrypted: its data keys are "
            + "wrapped by this local key file (docs/data-controls.md).")
    Path keyFile;

    @Option(names = "--key-vault-key", paramLabel = "URL", description = "The journal is encrypted: its data keys are "
            + "wrapped by this Azure Key Vault key, https://VAULT/keys/NAME[/VERSION] (called with "
            + "DefaultAzureCredential).")
    String keyVaultKey;

    private KeyEncryptionKey key;

    /**
     * Checks the options and reads the key file, before any work.
     *
     * @throws IllegalArgumentException naming the option, file or field
     */
    JournalKeyOptions check() {
        if (keyFile != null && keyVaultKey != null) {
            throw new IllegalArgumentException("--key-file and --key-vault-key exclude each other: give the key that "
                    + "wraps the journal's data keys");
        }
        if (keyFile != null) {
            key = LocalKeyFile.open(keyFile);
        } else if (keyVaultKey != null) {
            key = KeyVaultKeyEncryptionKey.builder().keyId(keyVaultKey)
                    .credential(new DefaultAzureCredentialBuilder().build()).build();
        }
        return this;
    }

    /** The key, or null when the journal is not encrypted. */
    KeyEncryptionKey key() {
        return key;
    }

    /** {@code journal}, decrypted through the key when one was given. */
    TurnJournal wrap(TurnJournal journal) {
        return key == null ? journal : EncryptingTurnJournal.builder(journal).keyEncryptionKey(key).build();
    }
}
