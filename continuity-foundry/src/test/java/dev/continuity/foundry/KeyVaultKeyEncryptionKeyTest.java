package dev.continuity.foundry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.azure.core.http.HttpClient;
import com.azure.core.http.netty.NettyAsyncHttpClientBuilder;
import com.azure.security.keyvault.keys.KeyClient;
import com.azure.security.keyvault.keys.KeyClientBuilder;
import com.azure.security.keyvault.keys.models.CreateRsaKeyOptions;
import com.azure.security.keyvault.keys.models.KeyVaultKey;
import dev.continuity.emulator.keyvault.KeyVaultEmulator;
import dev.continuity.journal.ConversationHead;
import dev.continuity.journal.TokenUsage;
import dev.continuity.journal.Turn;
import dev.continuity.journal.TurnItem;
import dev.continuity.journal.TurnJournal;
import dev.continuity.journal.TurnOutcome;
import dev.continuity.journal.crypto.EncryptingTurnJournal;
import dev.continuity.journal.crypto.JournalKeyException;
import dev.continuity.journal.crypto.RewrapReport;
import dev.continuity.journal.memory.InMemoryTurnJournal;
import io.netty.handler.ssl.SslContextBuilder;
import java.io.ByteArrayInputStream;
import java.security.KeyStore;
import java.time.Instant;
import java.util.List;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The journal's key-encryption key in Azure Key Vault, through the real {@code azure-security-keyvault-keys}
 * clients against the Key Vault emulator over https (bearer challenge included): data keys are wrapped once per
 * conversation, a new key version plus {@code rewrapDataKeys} retires the old version, and a deleted or disabled
 * key fails naming the key id and the conversation.
 */
class KeyVaultKeyEncryptionKeyTest {

    private static final Instant T0 = Instant.parse("2026-12-02T05:00:00Z");

    private KeyVaultEmulator vault;
    private HttpClient http;
    private KeyClient keys;
    private final InMemoryTurnJournal store = new InMemoryTurnJournal();

    @BeforeEach
    void start() throws Exception {
        vault = KeyVaultEmulator.start();
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(new ByteArrayInputStream(vault.trustStoreBytes()), "continuity".toCharArray());
        TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        factory.init(trust);
        var ssl = SslContextBuilder.forClient().trustManager(factory).build();
        http = new NettyAsyncHttpClientBuilder(
                reactor.netty.http.client.HttpClient.create().secure(spec -> spec.sslContext(ssl))).build();
        keys = new KeyClientBuilder().vaultUrl(vault.vaultUrl()).credential(FoundryCredentials.localToken())
                .httpClient(http).disableChallengeResourceVerification().buildClient();
    }

    @AfterEach
    void stop() {
        vault.close();
    }

    private KeyVaultKeyEncryptionKey kek(String keyId) {
        return KeyVaultKeyEncryptionKey.builder().keyId(keyId).credential(FoundryCredentials.localToken())
                .options(FoundryClientOptions.builder().httpClient(http).build())
                .disableChallengeResourceVerification().build();
    }

    private TurnJournal journal(String keyId) {
        return EncryptingTurnJournal.builder(store).keyEncryptionKey(kek(keyId)).build();
    }

    @Test
    void dataKeysAreWrappedInTheVaultOncePerConversationAndUnwrappedOncePerProcess() {
        KeyVaultKey key = keys.createRsaKey(new CreateRsaKeyOptions("journal-kek").setKeySize(2048));
        String versionless = vault.vaultUrl() + "/keys/journal-kek";
        TurnJournal writer = journal(versionless);
        for (String conversation : List.of("a", "b", "c")) {
            conversation(writer, conversation, 5);
        }
        assertThat(vault.operationCounts()).containsEntry("wrapkey", 3L).containsKey("challenge");
        assertThat(vault.operationCounts().getOrDefault("unwrapkey", 0L)).isZero();

        TurnJournal reader = journal(versionless);
        for (int round = 0; round < 3; round++) {
            for (String conversation : List.of("a", "b", "c")) {
                assertThat(reader.read(conversation, 1)).hasSize(5)
                        .allSatisfy(t -> assertThat(t.input().get(0).text()).startsWith("vault secret"));
            }
        }
        assertThat(vault.operationCounts()).containsEntry("unwrapkey", 3L).containsEntry("wrapkey", 3L);
        assertThat(store.read("a", 1).get(0).input().get(0).json()).doesNotContain("vault secret");
        assertThat(wrappedBy("a")).isEqualTo(key.getId());
    }

    @Test
    void aNewKeyVersionAndARewrapRetireTheOldVersionWithoutRewritingTurns() {
        KeyVaultKey first = keys.createRsaKey(new CreateRsaKeyOptions("rotating").setKeySize(2048));
        String versionless = vault.vaultUrl() + "/keys/rotating";
        conversation(journal(versionless), "a", 2);
        conversation(journal(versionless), "b", 1);
        List<Turn> rawBefore = store.read("a", 1);

        KeyVaultKey second = keys.createRsaKey(new CreateRsaKeyOptions("rotating").setKeySize(2048));
        EncryptingTurnJournal rotating = EncryptingTurnJournal.builder(store).keyEncryptionKey(kek(versionless))
                .build();
        assertThat(rotating.rewrapDataKeys()).isEqualTo(new RewrapReport(2, 2, 0, 0));
        assertThat(wrappedBy("a")).isEqualTo(second.getId());
        assertThat(store.read("a", 1)).isEqualTo(rawBefore);

        vault.enable("rotating", first.getProperties().getVersion(), false);
        assertThat(journal(versionless).read("a", 1)).hasSize(2);
        assertThat(journal(versionless).read("b", 1)).hasSize(1);
    }

    @Test
    void aDeletedOrDisabledKeyFailsNamingTheKeyIdAndTheConversation() {
        KeyVaultKey key = keys.createRsaKey(new CreateRsaKeyOptions("doomed").setKeySize(2048));
        conversation(journal(key.getId()), "a", 1);

        vault.enable("doomed", key.getProperties().getVersion(), false);
        assertThatThrownBy(() -> journal(key.getId()).read("a", 1))
                .isInstanceOf(JournalKeyException.class)
                .hasMessageContaining("conversation 'a'")
                .hasMessageContaining(key.getId())
                .hasMessageContaining("disabled");

        vault.delete("doomed");
        assertThatThrownBy(() -> journal(key.getId()).read("a", 1))
                .isInstanceOf(JournalKeyException.class)
                .hasMessageContaining("conversation 'a'")
                .hasMessageContaining(key.getId())
                .hasMessageContaining("KeyNotFound");
        assertThatThrownBy(() -> journal(key.getId())
                .compareAndSetHead(ConversationHead.start("new", "agent", null, T0), 0))
                .isInstanceOf(JournalKeyException.class)
                .hasMessageContaining("conversation 'new'")
                .hasMessageContaining("nothing was written");
        assertThat(store.head("new")).isEmpty();
    }

    @Test
    void aKeyIdThatIsNotAVaultKeyUrlIsRefused() {
        assertThatThrownBy(() -> KeyVaultKeyEncryptionKey.builder().keyId("http://vault/keys/x"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("https://<vault>/keys/<name>");
        assertThatThrownBy(() -> KeyVaultKeyEncryptionKey.builder().keyId("https://vault.example/secrets/x"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'https://vault.example/secrets/x'");
    }

    private String wrappedBy(String conversation) {
        String entry = store.head(conversation).orElseThrow().region("#continuity-data-key").conversationId();
        return entry.replaceAll(".*\"keyId\":\"([^\"]+)\".*", "$1");
    }

    private static void conversation(TurnJournal journal, String key, int turns) {
        journal.compareAndSetHead(ConversationHead.start(key, "agent", null, T0), 0).orElseThrow();
        for (int n = 1; n <= turns; n++) {
            journal.append(Turn.pending(key, n, "agent", null, List.of(TurnItem.userMessage("vault secret " + n)),
                    T0.plusSeconds(n)));
            journal.commit(key, n, new TurnOutcome(List.of(TurnItem.assistantMessage("answer " + n)), "resp_" + n,
                    "eastus", TokenUsage.NONE, T0.plusSeconds(n)));
        }
    }
}
