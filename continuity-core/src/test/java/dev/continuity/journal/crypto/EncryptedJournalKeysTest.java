package dev.continuity.journal.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.continuity.journal.AppendResult;
import dev.continuity.journal.ConversationHead;
import dev.continuity.journal.JournalException;
import dev.continuity.journal.RegionCursor;
import dev.continuity.journal.TokenUsage;
import dev.continuity.journal.Turn;
import dev.continuity.journal.TurnItem;
import dev.continuity.journal.TurnJournal;
import dev.continuity.journal.TurnOutcome;
import dev.continuity.journal.memory.InMemoryTurnJournal;
import dev.continuity.journal.spi.TurnWriteRules;
import dev.continuity.json.ExactJson;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The encrypting journal's keys and ciphertexts: the key-encryption key is called once per conversation, a
 * rotation re-wraps data keys without rewriting turns, a wrong or missing key fails with an error naming the key
 * and the conversation, a ciphertext moved to another turn or conversation fails, and nothing is written when no
 * data key can be had.
 */
class EncryptedJournalKeysTest {

    private static final Instant T0 = Instant.parse("2026-12-02T05:00:00Z");

    @TempDir
    Path directory;

    private final InMemoryTurnJournal store = new InMemoryTurnJournal();

    @Test
    void theKeyEncryptionKeyIsCalledOncePerConversationNotPerTurn() {
        CountingKey kek = new CountingKey(LocalKeyFile.create(directory.resolve("k.json"), "laptop"));
        TurnJournal journal = EncryptingTurnJournal.builder(store).keyEncryptionKey(kek).build();
        for (String key : List.of("a", "b")) {
            conversation(journal, key, 20);
        }
        assertThat(kek.wraps.get()).isEqualTo(2);
        assertThat(kek.unwraps.get()).isZero();

        CountingKey again = new CountingKey(LocalKeyFile.open(directory.resolve("k.json")));
        TurnJournal reopened = EncryptingTurnJournal.builder(store).keyEncryptionKey(again).build();
        for (int i = 0; i < 3; i++) {
            assertThat(reopened.read("a", 1)).hasSize(20);
            assertThat(reopened.read("b", 1)).hasSize(20);
        }
        assertThat(again.unwraps.get()).isEqualTo(2);
        assertThat(again.wraps.get()).isZero();
    }

    @Test
    void rotationRewrapsDataKeysWithoutRewritingTurnsAndTheOldVersionIsThenNotNeeded() throws Exception {
        Path file = directory.resolve("k.json");
        LocalKeyFile v1 = LocalKeyFile.create(file, "laptop");
        conversation(EncryptingTurnJournal.builder(store).keyEncryptionKey(v1).build(), "a", 3);
        conversation(EncryptingTurnJournal.builder(store).keyEncryptionKey(v1).build(), "b", 2);
        List<Turn> rawBefore = store.read("a", 1);
        assertThat(wrappedKeyId("a")).isEqualTo("local:laptop/1");

        LocalKeyFile v2 = v1.rotate();
        EncryptingTurnJournal rotating = EncryptingTurnJournal.builder(store).keyEncryptionKey(v2).build();
        assertThat(rotating.rewrapDataKeys()).isEqualTo(new RewrapReport(2, 2, 0, 0));
        assertThat(rotating.rewrapDataKeys()).isEqualTo(new RewrapReport(2, 0, 2, 0));

        assertThat(store.read("a", 1)).isEqualTo(rawBefore);
        assertThat(wrappedKeyId("a")).isEqualTo("local:laptop/2");
        assertThat(wrappedKeyId("b")).isEqualTo("local:laptop/2");

        dropVersion(file, 1);
        TurnJournal onlyV2 = EncryptingTurnJournal.builder(store).keyEncryptionKey(LocalKeyFile.open(file)).build();
        assertThat(onlyV2.read("a", 1)).extracting(t -> t.input().get(0).text())
                .containsExactly("secret question 1 of a", "secret question 2 of a", "secret question 3 of a");
    }

    @Test
    void aDataKeyWrappedByAVersionTheKeyFileNoLongerHasFailsNamingKeyAndConversation() throws Exception {
        Path file = directory.resolve("k.json");
        LocalKeyFile v1 = LocalKeyFile.create(file, "laptop");
        conversation(EncryptingTurnJournal.builder(store).keyEncryptionKey(v1).build(), "a", 1);
        v1.rotate();
        dropVersion(file, 1);

        TurnJournal journal = EncryptingTurnJournal.builder(store).keyEncryptionKey(LocalKeyFile.open(file)).build();
        assertThatThrownBy(() -> journal.read("a", 1))
                .isInstanceOf(JournalKeyException.class)
                .hasMessageContaining("conversation 'a'")
                .hasMessageContaining("local:laptop/1")
                .hasMessageContaining("has no version 1")
                .satisfies(e -> assertThat(((JournalKeyException) e).keyId()).isEqualTo("local:laptop/1"));
    }

    @Test
    void anotherKeyOfTheSameNameFailsNamingKeyAndConversation() {
        conversation(EncryptingTurnJournal.builder(store)
                .keyEncryptionKey(LocalKeyFile.create(directory.resolve("a.json"), "laptop")).build(), "a", 1);
        TurnJournal wrong = EncryptingTurnJournal.builder(store)
                .keyEncryptionKey(LocalKeyFile.create(directory.resolve("b.json"), "laptop")).build();

        assertThatThrownBy(() -> wrong.read("a", 1))
                .isInstanceOf(JournalKeyException.class)
                .hasMessageContaining("conversation 'a'")
                .hasMessageContaining("key 'local:laptop/1' could not unwrap its data key")
                .hasMessageContaining("integrity check failed");
        assertThatThrownBy(() -> wrong.append(Turn.pending("a", 2, "agent", null,
                List.of(TurnItem.userMessage("more")), T0)))
                .isInstanceOf(JournalKeyException.class)
                .hasMessageContaining("conversation 'a'");
        assertThat(store.read("a", 1)).hasSize(1);
    }

    @Test
    void aKeyNoConfiguredKeyRecognizesFailsNamingItAndTheConfiguredKeys() {
        conversation(EncryptingTurnJournal.builder(store)
                .keyEncryptionKey(LocalKeyFile.create(directory.resolve("a.json"), "old")).build(), "a", 1);
        TurnJournal other = EncryptingTurnJournal.builder(store)
                .keyEncryptionKey(LocalKeyFile.create(directory.resolve("b.json"), "new")).build();

        assertThatThrownBy(() -> other.turn("a", 1))
                .isInstanceOf(JournalKeyException.class)
                .hasMessageContaining("conversation 'a'")
                .hasMessageContaining("wrapped by key 'local:old/1'")
                .hasMessageContaining("'local:new (b.json)'");
    }

    @Test
    void movingToANewKeyEncryptionKeyReadsWithThePreviousOneUntilRewrapped() {
        LocalKeyFile old = LocalKeyFile.create(directory.resolve("a.json"), "old");
        conversation(EncryptingTurnJournal.builder(store).keyEncryptionKey(old).build(), "a", 2);
        LocalKeyFile next = LocalKeyFile.create(directory.resolve("b.json"), "new");
        EncryptingTurnJournal moving = EncryptingTurnJournal.builder(store).keyEncryptionKey(next)
                .previousKeyEncryptionKeys(old).build();

        assertThat(moving.read("a", 1)).hasSize(2);
        assertThat(moving.rewrapDataKeys()).isEqualTo(new RewrapReport(1, 1, 0, 0));
        assertThat(EncryptingTurnJournal.builder(store).keyEncryptionKey(next).build().read("a", 1)).hasSize(2);
    }

    @Test
    void aCiphertextMovedToAnotherTurnOrConversationFailsAuthentication() {
        LocalKeyFile kek = LocalKeyFile.create(directory.resolve("k.json"), "laptop");
        conversation(EncryptingTurnJournal.builder(store).keyEncryptionKey(kek).build(), "a", 2);
        Turn first = store.turn("a", 1).orElseThrow();
        Turn second = store.turn("a", 2).orElseThrow();

        // a store in which turn 1 holds turn 2's ciphertext (same conversation, same data key)
        InMemoryTurnJournal tampered = new InMemoryTurnJournal();
        ConversationHead head = store.head("a").orElseThrow();
        tampered.compareAndSetHead(new ConversationHead("a", head.agentName(), head.agentVersion(), 0,
                head.createdAt(), head.lastActivityAt(), head.regions(), 0), 0).orElseThrow();
        tampered.append(withInput(first, second.input()));
        TurnJournal reader = EncryptingTurnJournal.builder(tampered).keyEncryptionKey(kek).build();
        assertThatThrownBy(() -> reader.turn("a", 1))
                .isInstanceOf(JournalKeyException.class)
                .hasMessageContaining("turn 1 of conversation 'a'")
                .hasMessageContaining("encrypted input fails authentication")
                .hasMessageContaining("local:laptop/1");

        // conversation 'b' given a's wrapped data key and a's turn 1: the conversation key is bound too
        InMemoryTurnJournal copied = new InMemoryTurnJournal();
        copied.compareAndSetHead(new ConversationHead("b", head.agentName(), head.agentVersion(), 0, head.createdAt(),
                head.lastActivityAt(), head.regions(), 0), 0).orElseThrow();
        copied.append(new Turn("b", 1, first.agentName(), first.agentVersion(), first.input(), first.output(),
                first.responseId(), first.region(), first.usage(), first.status(), first.startedAt(),
                first.completedAt(), first.options()));
        TurnJournal copyReader = EncryptingTurnJournal.builder(copied).keyEncryptionKey(kek).build();
        assertThatThrownBy(() -> copyReader.read("b", 1))
                .isInstanceOf(JournalKeyException.class)
                .hasMessageContaining("turn 1 of conversation 'b'");

        // the same turn with another response id: the output is bound to its response
        InMemoryTurnJournal renamed = new InMemoryTurnJournal();
        renamed.compareAndSetHead(new ConversationHead("a", head.agentName(), head.agentVersion(), 0, head.createdAt(),
                head.lastActivityAt(), head.regions(), 0), 0).orElseThrow();
        renamed.append(new Turn("a", 1, first.agentName(), first.agentVersion(), first.input(), first.output(),
                "resp_other", first.region(), first.usage(), first.status(), first.startedAt(), first.completedAt(),
                first.options()));
        TurnJournal renamedReader = EncryptingTurnJournal.builder(renamed).keyEncryptionKey(kek).build();
        assertThatThrownBy(() -> renamedReader.read("a", 1))
                .isInstanceOf(JournalKeyException.class)
                .hasMessageContaining("encrypted output fails authentication");
    }

    @Test
    void nothingIsWrittenWhenTheKeyEncryptionKeyRefusesToWrap() {
        KeyEncryptionKey refusing = new KeyEncryptionKey() {
            @Override
            public String name() {
                return "vault-key";
            }

            @Override
            public boolean recognizes(String keyId) {
                return true;
            }

            @Override
            public WrappedKey wrap(byte[] dataKey) {
                throw new IllegalStateException("403 Forbidden: the caller may not wrapKey");
            }

            @Override
            public byte[] unwrap(WrappedKey wrapped) {
                throw new IllegalStateException("403 Forbidden");
            }
        };
        TurnJournal journal = EncryptingTurnJournal.builder(store).keyEncryptionKey(refusing).build();

        assertThatThrownBy(() -> journal.compareAndSetHead(ConversationHead.start("a", "agent", null, T0), 0))
                .isInstanceOf(JournalKeyException.class)
                .hasMessageContaining("conversation 'a'")
                .hasMessageContaining("'vault-key' could not wrap")
                .hasMessageContaining("403 Forbidden");
        assertThat(store.head("a")).isEmpty();
        assertThatThrownBy(() -> journal.append(Turn.pending("a", 1, "agent", null,
                List.of(TurnItem.userMessage("never in plaintext")), T0)))
                .isInstanceOf(JournalException.class)
                .hasMessageContaining("has no head");
        assertThat(store.read("a", 1)).isEmpty();
    }

    @Test
    void aConversationJournaledBeforeEncryptionGetsADataKeyOnItsNextWriteAndItsOldTurnsStayReadable() {
        store.compareAndSetHead(ConversationHead.start("old", "agent", null, T0), 0).orElseThrow();
        store.append(Turn.pending("old", 1, "agent", null, List.of(TurnItem.userMessage("plain before")), T0));
        store.commit("old", 1, outcome("old", 1));
        TurnJournal journal = EncryptingTurnJournal.builder(store)
                .keyEncryptionKey(LocalKeyFile.create(directory.resolve("k.json"), "laptop")).build();

        journal.append(Turn.pending("old", 2, "agent", null, List.of(TurnItem.userMessage("sealed after")), T0));

        assertThat(wrappedKeyId("old")).isEqualTo("local:laptop/1");
        assertThat(store.turn("old", 2).orElseThrow().input().get(0).json()).doesNotContain("sealed after");
        assertThat(journal.read("old", 1)).extracting(t -> t.input().get(0).text())
                .containsExactly("plain before", "sealed after");
        assertThat(journal.head("old").orElseThrow().regions()).isEmpty();
    }

    @Test
    void anItemOfTheReservedTypeAndTheReservedRegionNameAreRefused() {
        TurnJournal journal = EncryptingTurnJournal.builder(store)
                .keyEncryptionKey(LocalKeyFile.create(directory.resolve("k.json"), "laptop")).build();
        journal.compareAndSetHead(ConversationHead.start("a", "agent", null, T0), 0).orElseThrow();

        assertThatThrownBy(() -> journal.append(Turn.pending("a", 1, "agent", null,
                List.of(TurnItem.of("{\"type\":\"continuity.encrypted\",\"ct\":\"AAAA\"}")), T0)))
                .isInstanceOf(JournalException.class)
                .hasMessageContaining("reserved for encrypted content");
        ConversationHead head = journal.head("a").orElseThrow();
        assertThatThrownBy(() -> journal.compareAndSetHead(
                head.withRegion("#continuity-data-key", new RegionCursor("conv_x", 0)), head.version()))
                .isInstanceOf(JournalException.class)
                .hasMessageContaining("reserved");
    }

    @Test
    void optionsAreEncryptedByDefaultAndKeptReadableWhenTurnedOff() {
        LocalKeyFile kek = LocalKeyFile.create(directory.resolve("k.json"), "laptop");
        String options = "{\"instructions\":\"speak like a pirate\",\"metadata\":{\"ticket\":\"T-99\"}}";
        TurnJournal journal = EncryptingTurnJournal.builder(store).keyEncryptionKey(kek).build();
        journal.compareAndSetHead(ConversationHead.start("a", "agent", null, T0), 0).orElseThrow();
        journal.append(Turn.pending("a", 1, "agent", null, List.of(TurnItem.userMessage("hi")), T0, options));
        assertThat(store.turn("a", 1).orElseThrow().options()).doesNotContain("pirate").doesNotContain("T-99");
        assertThat(journal.turn("a", 1).orElseThrow().options()).isEqualTo(options);

        TurnJournal clearOptions = EncryptingTurnJournal.builder(store).keyEncryptionKey(kek).encryptOptions(false)
                .build();
        clearOptions.compareAndSetHead(ConversationHead.start("b", "agent", null, T0), 0).orElseThrow();
        clearOptions.append(Turn.pending("b", 1, "agent", null, List.of(TurnItem.userMessage("hi")), T0, options));
        assertThat(store.turn("b", 1).orElseThrow().options()).isEqualTo(options);
        assertThat(clearOptions.turn("b", 1).orElseThrow().options()).isEqualTo(options);
    }

    @Test
    void aRetriedAppendAndCommitAreRecognizedAsTheSameWrite() {
        TurnJournal journal = EncryptingTurnJournal.builder(store)
                .keyEncryptionKey(LocalKeyFile.create(directory.resolve("k.json"), "laptop")).build();
        journal.compareAndSetHead(ConversationHead.start("a", "agent", null, T0), 0).orElseThrow();
        Turn turn = Turn.pending("a", 1, "agent", null, List.of(TurnItem.userMessage("hi")), T0, "{\"top_p\":0.5}");
        assertThat(journal.append(turn)).isEqualTo(AppendResult.WRITTEN);
        assertThat(journal.append(turn)).isEqualTo(AppendResult.ALREADY_PRESENT);
        assertThat(journal.commit("a", 1, outcome("a", 1))).isEqualTo(AppendResult.WRITTEN);
        assertThat(journal.commit("a", 1, outcome("a", 1))).isEqualTo(AppendResult.ALREADY_PRESENT);
    }

    @Test
    void aHistoryReadPastTheEncryptingJournalIsRefusedForReplayAndImport() {
        LocalKeyFile kek = LocalKeyFile.create(directory.resolve("k.json"), "laptop");
        conversation(EncryptingTurnJournal.builder(store).keyEncryptionKey(kek).build(), "a", 2);

        assertThat(TurnWriteRules.historyViolation(store.head("a").orElseThrow(), store.read("a", 1)))
                .hasValueSatisfying(v -> assertThat(v).contains("turn 1 of conversation 'a' is encrypted")
                        .contains("EncryptingTurnJournal"));
        TurnJournal journal = EncryptingTurnJournal.builder(store).keyEncryptionKey(kek).build();
        assertThat(TurnWriteRules.historyViolation(journal.head("a").orElseThrow(), journal.read("a", 1))).isEmpty();
    }

    private void conversation(TurnJournal journal, String key, int turns) {
        journal.compareAndSetHead(ConversationHead.start(key, "agent", null, T0), 0).orElseThrow();
        for (int n = 1; n <= turns; n++) {
            journal.append(Turn.pending(key, n, "agent", null,
                    List.of(TurnItem.userMessage("secret question " + n + " of " + key)), T0.plusSeconds(n)));
            journal.commit(key, n, outcome(key, n));
        }
    }

    private static TurnOutcome outcome(String key, int n) {
        return new TurnOutcome(List.of(TurnItem.assistantMessage("secret answer " + n + " of " + key)),
                "resp_" + key + "_" + n, "eastus", new TokenUsage(1, 2, 3), T0.plusSeconds(n).plusMillis(500));
    }

    private static Turn withInput(Turn turn, List<TurnItem> input) {
        return new Turn(turn.conversationKey(), turn.sequence(), turn.agentName(), turn.agentVersion(), input,
                turn.output(), turn.responseId(), turn.region(), turn.usage(), turn.status(), turn.startedAt(),
                turn.completedAt(), turn.options());
    }

    private String wrappedKeyId(String conversationKey) throws RuntimeException {
        String json = store.head(conversationKey).orElseThrow().region("#continuity-data-key").conversationId();
        try {
            return ExactJson.parse(json).path("keyId").asText();
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void dropVersion(Path file, int version) throws Exception {
        ObjectNode root = (ObjectNode) ExactJson.parse(Files.readString(file));
        var versions = root.withArray("versions");
        for (int i = versions.size() - 1; i >= 0; i--) {
            if (versions.get(i).path("version").asInt() == version) {
                versions.remove(i);
            }
        }
        Files.writeString(file, ExactJson.write(root), StandardCharsets.UTF_8);
    }

    /** A real key-encryption key whose calls are counted. */
    private static final class CountingKey implements KeyEncryptionKey {
        private final KeyEncryptionKey key;
        final AtomicInteger wraps = new AtomicInteger();
        final AtomicInteger unwraps = new AtomicInteger();

        CountingKey(KeyEncryptionKey key) {
            this.key = key;
        }

        @Override
        public String name() {
            return key.name();
        }

        @Override
        public boolean recognizes(String keyId) {
            return key.recognizes(keyId);
        }

        @Override
        public WrappedKey wrap(byte[] dataKey) {
            wraps.incrementAndGet();
            return key.wrap(dataKey);
        }

        @Override
        public byte[] unwrap(WrappedKey wrapped) {
            unwraps.incrementAndGet();
            return key.unwrap(wrapped);
        }
    }
}
