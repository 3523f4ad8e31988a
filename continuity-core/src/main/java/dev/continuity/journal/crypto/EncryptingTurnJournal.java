package dev.continuity.journal.crypto;

import dev.continuity.journal.AppendResult;
import dev.continuity.journal.ConversationHead;
import dev.continuity.journal.ConversationSummary;
import dev.continuity.journal.JournalException;
import dev.continuity.journal.Page;
import dev.continuity.journal.Tenants;
import dev.continuity.journal.Turn;
import dev.continuity.journal.TurnDurability;
import dev.continuity.journal.TurnItem;
import dev.continuity.journal.TurnJournal;
import dev.continuity.journal.TurnOutcome;
import dev.continuity.journal.crypto.internal.DataKey;
import dev.continuity.journal.crypto.internal.HeadKeys;
import dev.continuity.journal.crypto.internal.SealedParts;
import dev.continuity.journal.crypto.internal.SealedParts.Part;
import dev.continuity.journal.spi.TurnWriteRules;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import javax.crypto.AEADBadTagException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link TurnJournal} that encrypts turn content before it reaches the journal it wraps (any backend: SQLite,
 * Cosmos DB, memory, yours) and decrypts it on every read, so the client, the replayer, the warm standby and
 * export/import work on plaintext turns unchanged while the store holds only ciphertext.
 *
 * <p><b>What is encrypted</b>: every turn's input and output items and (unless
 * {@link Builder#encryptOptions(boolean) turned off}) its options, with AES-256-GCM under the conversation's
 * <b>data key</b>. The associated data binds each part to its conversation key, sequence and part (and the output
 * to its response id), so a ciphertext copied to another turn or conversation fails authentication. What stays
 * readable to whoever can read the store: conversation keys, sequences, agent name and version, response ids,
 * regions, token usage, status, timestamps and region cursors (the journal's own bookkeeping).
 *
 * <p><b>Keys</b>: the data key is created with the conversation (its {@code compareAndSetHead(head, 0)}), wrapped
 * by the {@link KeyEncryptionKey} and kept wrapped in the conversation's head; it is cached unwrapped (at most
 * {@link Builder#maxCachedKeys} conversations), so the key-encryption key is called once per conversation and
 * process, never per turn. {@link #rewrapDataKeys()} re-wraps every data key with the key-encryption key's current
 * version (after a rotation) without rewriting any turn. A conversation journaled before encryption was turned
 * on gets its data key on its next write; its earlier turns are read as they were stored.
 *
 * <p><b>Per-tenant keys</b>: {@link Builder#tenantKeyEncryptionKey} gives a tenant ({@link ConversationHead#tenant()})
 * its own key-encryption key: its conversations' data keys are wrapped by that key, and unwrapped only by it (or a
 * {@link Builder#previousKeyEncryptionKeys previous} key, for a migration), never by the journal's
 * {@link Builder#keyEncryptionKey default key} or another tenant's. A tenant's data is then readable only where its
 * key is, and destroying the key makes it unreadable everywhere (every region, the warm standby, every export).
 * A tenant without a key of its own uses the default key; with no default key its conversations are refused.
 *
 * <p><b>Fails closed</b>: a write whose data key cannot be had (no head, a key-encryption key that refuses) throws
 * and writes nothing; nothing is ever written in plaintext. A read that cannot decrypt throws
 * {@link JournalKeyException} naming the key id and the conversation (and turn).
 *
 * <p>Encryption is deterministic per turn part (see the data key's synthetic nonce), so an idempotent retry of
 * an append or commit is recognized by the wrapped journal as the same write.
 *
 * <pre>{@code
 * TurnJournal journal = EncryptingTurnJournal.builder(SqliteTurnJournal.open(file))
 *         .keyEncryptionKey(LocalKeyFile.open(Path.of("journal.key")))
 *         .build();
 * }</pre>
 */
public final class EncryptingTurnJournal implements TurnJournal {

    private static final Logger LOG = LoggerFactory.getLogger(EncryptingTurnJournal.class);
    private static final int KEY_ATTEMPTS = 16;

    private final TurnJournal delegate;
    private final KeyEncryptionKey current;
    private final Map<String, KeyEncryptionKey> tenantKeys;
    private final List<KeyEncryptionKey> previous;
    private final boolean encryptOptions;
    private final Map<String, Keyed> cache;
    private final AtomicLong wraps = new AtomicLong();
    private final AtomicLong unwraps = new AtomicLong();

    private EncryptingTurnJournal(Builder builder) {
        this.delegate = builder.journal;
        if (builder.current == null && builder.tenantKeys.isEmpty()) {
            throw new NullPointerException("EncryptingTurnJournal.builder(journal): keyEncryptionKey(...) or "
                    + "tenantKeyEncryptionKey(...) is required");
        }
        this.current = builder.current;
        this.tenantKeys = Map.copyOf(builder.tenantKeys);
        this.previous = List.copyOf(builder.previous);
        this.encryptOptions = builder.encryptOptions;
        int max = builder.maxCachedKeys;
        this.cache = Collections.synchronizedMap(new LinkedHashMap<>(64, 0.75f, true) {
            private static final long serialVersionUID = 1L;

            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Keyed> eldest) {
                return size() > max;
            }
        });
    }

    /** A builder over {@code journal} (the backend that stores the ciphertext). */
    public static Builder builder(TurnJournal journal) {
        return new Builder(journal);
    }

    /** How often this journal called the key-encryption keys (a cached data key costs no call). */
    public KeyCalls keyEncryptionKeyCalls() {
        return new KeyCalls(wraps.get(), unwraps.get());
    }

    /**
     * Calls to the key-encryption keys.
     *
     * @param wraps data keys wrapped (one per new conversation, and one per re-wrap)
     * @param unwraps data keys unwrapped (one per conversation and process whose key was not created here, and one
     *     per re-wrap)
     */
    public record KeyCalls(long wraps, long unwraps) {
    }

    /** The wrapped journal (it holds ciphertext: not for reading turns). */
    public TurnJournal delegate() {
        return delegate;
    }

    @Override
    public AppendResult append(Turn turn) {
        if (SealedParts.anySealed(turn.input()) || SealedParts.anySealed(turn.output())) {
            throw new JournalException("turn " + turn.sequence() + " of conversation '" + turn.conversationKey()
                    + "' has an item of type '" + SealedParts.TYPE + "', which is reserved for encrypted content");
        }
        DataKey key = dataKeyForWrite(turn.conversationKey(), () -> TurnWriteRules.noHead(turn.conversationKey(),
                turn.sequence()));
        return delegate.append(sealed(turn, key));
    }

    @Override
    public AppendResult commit(String conversationKey, long sequence, TurnOutcome outcome) {
        DataKey key = dataKeyForWrite(conversationKey, () -> TurnWriteRules.noTurn(conversationKey, sequence));
        List<TurnItem> output = outcome.output();
        if (SealedParts.anySealed(output)) {
            throw new JournalException("the outcome of turn " + sequence + " of conversation '" + conversationKey
                    + "' has an item of type '" + SealedParts.TYPE + "', which is reserved for encrypted content");
        }
        List<TurnItem> sealed = SealedParts.seal(key,
                SealedParts.aad(conversationKey, sequence, Part.OUTPUT, outcome.responseId()), output);
        return delegate.commit(conversationKey, sequence,
                new TurnOutcome(sealed, outcome.responseId(), outcome.region(), outcome.usage(), outcome.completedAt()));
    }

    @Override
    public AppendResult discardPending(String conversationKey, long sequence) {
        return delegate.discardPending(conversationKey, sequence);
    }

    @Override
    public List<Turn> read(String conversationKey, long fromSequence) {
        List<Turn> stored = delegate.read(conversationKey, fromSequence);
        List<Turn> turns = new ArrayList<>(stored.size());
        for (Turn turn : stored) {
            turns.add(opened(turn));
        }
        return turns;
    }

    @Override
    public Optional<Turn> turn(String conversationKey, long sequence) {
        return delegate.turn(conversationKey, sequence).map(this::opened);
    }

    @Override
    public Optional<ConversationHead> head(String conversationKey) {
        return delegate.head(conversationKey).map(HeadKeys::stripped);
    }

    @Override
    public Optional<ConversationHead> compareAndSetHead(ConversationHead head, long expectedVersion) {
        if (head.region(HeadKeys.ENTRY) != null) {
            throw new JournalException("conversation '" + head.conversationKey() + "': the region name '"
                    + HeadKeys.ENTRY + "' is reserved for the conversation's data key");
        }
        String key = head.conversationKey();
        if (expectedVersion == 0) {
            byte[] plain = DataKey.generate();
            WrappedKey wrapped = wrap(head, plain);
            Optional<ConversationHead> stored = delegate.compareAndSetHead(HeadKeys.with(head, wrapped), 0);
            if (stored.isPresent()) {
                cache.put(key, new Keyed(DataKey.of(plain), wrapped.keyId()));
            }
            Arrays.fill(plain, (byte) 0);
            return stored.map(HeadKeys::stripped);
        }
        // keep the stored data key entry: the one of the head at the expected version (a re-wrap changes it)
        Optional<ConversationHead> stored = delegate.head(key);
        if (stored.isEmpty() || stored.get().version() != expectedVersion) {
            return Optional.empty();
        }
        Optional<WrappedKey> wrapped = HeadKeys.wrappedKey(stored.get());
        ConversationHead write = wrapped.map(w -> HeadKeys.with(head, w)).orElse(head);
        return delegate.compareAndSetHead(write, expectedVersion).map(HeadKeys::stripped);
    }

    @Override
    public Page<ConversationSummary> listConversations(String continuationToken, int pageSize) {
        return delegate.listConversations(continuationToken, pageSize);
    }

    @Override
    public Page<ConversationSummary> listTenantConversations(String tenant, String continuationToken, int pageSize) {
        return delegate.listTenantConversations(tenant, continuationToken, pageSize);
    }

    @Override
    public List<Turn> pendingTurns() {
        List<Turn> stored = delegate.pendingTurns();
        List<Turn> turns = new ArrayList<>(stored.size());
        for (Turn turn : stored) {
            turns.add(opened(turn));
        }
        return turns;
    }

    /**
     * Deletes the conversation from the wrapped journal and drops its cached data key (the key goes with the
     * head; a conversation later created under the same key gets a new one).
     */
    @Override
    public boolean deleteConversation(String conversationKey, long expectedVersion) {
        try {
            return delegate.deleteConversation(conversationKey, expectedVersion);
        } finally {
            cache.remove(conversationKey);
        }
    }

    @Override
    public Optional<dev.continuity.journal.Tombstone> tombstone(String conversationKey) {
        return delegate.tombstone(conversationKey);
    }

    @Override
    public void putTombstone(dev.continuity.journal.Tombstone tombstone) {
        delegate.putTombstone(tombstone);
    }

    @Override
    public List<dev.continuity.journal.Tombstone> pendingTombstones() {
        return delegate.pendingTombstones();
    }

    /** The delegate's leases: a lease holds conversation keys and work positions, never content. */
    @Override
    public dev.continuity.journal.WorkLeases workLeases() {
        return delegate.workLeases();
    }

    @Override
    public TurnDurability defaultDurability() {
        return delegate.defaultDurability();
    }

    /**
     * Re-wraps every conversation's data key with the key-encryption key's current version, leaving the turns
     * as they are: after rotating the key-encryption key (a new version, or a new key with the old one passed as
     * {@link Builder#previousKeyEncryptionKeys previous}), so that the old version can be disabled. Calls the
     * key-encryption key twice per conversation (unwrap, wrap). Safe to run while the journal is in use.
     */
    public RewrapReport rewrapDataKeys() {
        long conversations = 0;
        long rewrapped = 0;
        long current = 0;
        long without = 0;
        String token = null;
        do {
            Page<ConversationSummary> page = delegate.listConversations(token, 100);
            for (ConversationSummary summary : page.items()) {
                conversations++;
                switch (rewrapDataKey(summary.conversationKey())) {
                    case REWRAPPED -> rewrapped++;
                    case ALREADY_CURRENT -> current++;
                    case NO_KEY -> without++;
                    default -> throw new IllegalStateException();
                }
            }
            token = page.continuationToken();
        } while (token != null);
        LOG.info("re-wrapped the data keys of {} of {} conversations with their tenant's current key ({} already "
                + "current, {} without a data key)", rewrapped, conversations, current, without);
        return new RewrapReport(conversations, rewrapped, current, without);
    }

    /** What {@link #rewrapDataKey} did. */
    public enum Rewrap {
        /** The data key is now wrapped by the current key version. */
        REWRAPPED,
        /** It already was. */
        ALREADY_CURRENT,
        /** The conversation has no data key (or no head). */
        NO_KEY
    }

    /** Re-wraps one conversation's data key (see {@link #rewrapDataKeys()}). */
    public Rewrap rewrapDataKey(String conversationKey) {
        for (int attempt = 0; attempt < KEY_ATTEMPTS; attempt++) {
            Optional<ConversationHead> head = delegate.head(conversationKey);
            Optional<WrappedKey> wrapped = head.flatMap(HeadKeys::wrappedKey);
            if (wrapped.isEmpty()) {
                return Rewrap.NO_KEY;
            }
            byte[] plain = unwrap(head.get(), wrapped.get());
            try {
                WrappedKey again = wrap(head.get(), plain);
                if (again.keyId().equals(wrapped.get().keyId())) {
                    return Rewrap.ALREADY_CURRENT;
                }
                if (delegate.compareAndSetHead(HeadKeys.with(head.get(), again), head.get().version()).isPresent()) {
                    cache.computeIfPresent(conversationKey, (k, keyed) -> new Keyed(keyed.key(), again.keyId()));
                    return Rewrap.REWRAPPED;
                }
            } finally {
                Arrays.fill(plain, (byte) 0);
            }
        }
        throw new JournalException("conversation '" + conversationKey + "': its head changed on each of "
                + KEY_ATTEMPTS + " attempts to re-wrap its data key; try again");
    }

    /** Closes the wrapped journal and forgets the cached data keys. */
    @Override
    public void close() {
        cache.clear();
        delegate.close();
    }

    private Turn sealed(Turn turn, DataKey key) {
        String conversation = turn.conversationKey();
        long sequence = turn.sequence();
        List<TurnItem> input = SealedParts.seal(key, SealedParts.aad(conversation, sequence, Part.INPUT, null),
                turn.input());
        List<TurnItem> output = SealedParts.seal(key,
                SealedParts.aad(conversation, sequence, Part.OUTPUT, turn.responseId()), turn.output());
        String options = encryptOptions
                ? SealedParts.seal(key, SealedParts.aad(conversation, sequence, Part.OPTIONS, null), turn.options())
                : turn.options();
        return new Turn(conversation, sequence, turn.agentName(), turn.agentVersion(), input, output,
                turn.responseId(), turn.region(), turn.usage(), turn.status(), turn.startedAt(), turn.completedAt(),
                options);
    }

    private Turn opened(Turn stored) {
        boolean input = SealedParts.isSealed(stored.input());
        boolean output = SealedParts.isSealed(stored.output());
        boolean options = SealedParts.isSealed(stored.options());
        if (!input && !output && !options) {
            return stored; // journaled before encryption was turned on
        }
        String conversation = stored.conversationKey();
        long sequence = stored.sequence();
        Keyed keyed = dataKeyForRead(conversation, sequence);
        String part = "input";
        try {
            List<TurnItem> in = input
                    ? SealedParts.open(keyed.key, SealedParts.aad(conversation, sequence, Part.INPUT, null),
                            stored.input())
                    : stored.input();
            part = "output";
            List<TurnItem> out = output
                    ? SealedParts.open(keyed.key,
                            SealedParts.aad(conversation, sequence, Part.OUTPUT, stored.responseId()), stored.output())
                    : stored.output();
            part = "options";
            String opts = options
                    ? SealedParts.open(keyed.key, SealedParts.aad(conversation, sequence, Part.OPTIONS, null),
                            stored.options())
                    : stored.options();
            return new Turn(conversation, sequence, stored.agentName(), stored.agentVersion(), in, out,
                    stored.responseId(), stored.region(), stored.usage(), stored.status(), stored.startedAt(),
                    stored.completedAt(), opts);
        } catch (AEADBadTagException e) {
            throw new JournalKeyException(conversation, keyed.keyId, "turn " + sequence + " of conversation '"
                    + conversation + "': its encrypted " + part + " fails authentication with the conversation's data "
                    + "key (wrapped by key '" + keyed.keyId + "'): the ciphertext was altered, moved from another "
                    + "turn or conversation, or encrypted under another data key", e);
        }
    }

    private record Keyed(DataKey key, String keyId) {
    }

    private Keyed dataKeyForRead(String conversationKey, long sequence) {
        Keyed cached = cache.get(conversationKey);
        if (cached != null) {
            return cached;
        }
        Optional<ConversationHead> head = delegate.head(conversationKey);
        Optional<WrappedKey> wrapped = head.flatMap(HeadKeys::wrappedKey);
        if (wrapped.isEmpty()) {
            throw new JournalKeyException(conversationKey, null, "turn " + sequence + " of conversation '"
                    + conversationKey + "' is encrypted but the conversation's head holds no data key ("
                    + (head.isEmpty() ? "the conversation has no head" : "its data key entry was removed") + ")", null);
        }
        return cached(head.get(), wrapped.get());
    }

    private DataKey dataKeyForWrite(String conversationKey, Supplier<JournalException> noHead) {
        Keyed cached = cache.get(conversationKey);
        if (cached != null) {
            return cached.key();
        }
        for (int attempt = 0; attempt < KEY_ATTEMPTS; attempt++) {
            Optional<ConversationHead> head = delegate.head(conversationKey);
            if (head.isEmpty()) {
                throw noHead.get();
            }
            Optional<WrappedKey> wrapped = HeadKeys.wrappedKey(head.get());
            if (wrapped.isPresent()) {
                return cached(head.get(), wrapped.get()).key();
            }
            // a conversation journaled before encryption was turned on: it gets its data key now
            byte[] plain = DataKey.generate();
            try {
                WrappedKey fresh = wrap(head.get(), plain);
                if (delegate.compareAndSetHead(HeadKeys.with(head.get(), fresh), head.get().version()).isPresent()) {
                    LOG.info("conversation '{}' had no data key (journaled before encryption); created one wrapped "
                            + "by key '{}'", conversationKey, fresh.keyId());
                    DataKey key = DataKey.of(plain);
                    cache.put(conversationKey, new Keyed(key, fresh.keyId()));
                    return key;
                }
            } finally {
                Arrays.fill(plain, (byte) 0);
            }
        }
        throw new JournalException("conversation '" + conversationKey + "': its head changed on each of "
                + KEY_ATTEMPTS + " attempts to give it a data key; try again");
    }

    private Keyed cached(ConversationHead head, WrappedKey wrapped) {
        String conversationKey = head.conversationKey();
        byte[] plain = unwrap(head, wrapped);
        try {
            Keyed key = new Keyed(DataKey.of(plain), wrapped.keyId());
            cache.put(conversationKey, key);
            return key;
        } finally {
            Arrays.fill(plain, (byte) 0);
        }
    }

    /** The key that wraps the data keys of {@code head}'s tenant: its own, else the default one. */
    private KeyEncryptionKey wrappingKey(ConversationHead head) {
        KeyEncryptionKey key = tenantKeys.getOrDefault(head.tenant(), current);
        if (key == null) {
            throw new JournalKeyException(head.conversationKey(), null, "conversation '" + head.conversationKey()
                    + "' belongs to tenant '" + head.tenant() + "', which has no key-encryption key here (tenants with "
                    + "keys: " + String.join(", ", new java.util.TreeSet<>(tenantKeys.keySet()))
                    + "; no default key); nothing was written or read", null);
        }
        return key;
    }

    /** The keys that may unwrap a data key of {@code head}'s tenant: its wrapping key, then the previous ones. */
    private List<KeyEncryptionKey> unwrappingKeys(ConversationHead head) {
        List<KeyEncryptionKey> candidates = new ArrayList<>();
        KeyEncryptionKey own = tenantKeys.getOrDefault(head.tenant(), current);
        if (own != null) {
            candidates.add(own);
        }
        candidates.addAll(previous);
        return candidates;
    }

    private WrappedKey wrap(ConversationHead head, byte[] plain) {
        String conversationKey = head.conversationKey();
        KeyEncryptionKey kek = wrappingKey(head);
        wraps.incrementAndGet();
        try {
            return kek.wrap(plain);
        } catch (RuntimeException e) {
            throw new JournalKeyException(conversationKey, kek.name(), "conversation '" + conversationKey
                    + "': key-encryption key '" + kek.name() + "' could not wrap a data key: " + e.getMessage()
                    + " (nothing was written)", e);
        }
    }

    private byte[] unwrap(ConversationHead head, WrappedKey wrapped) {
        String conversationKey = head.conversationKey();
        List<KeyEncryptionKey> candidates = unwrappingKeys(head);
        KeyEncryptionKey kek = candidates.stream().filter(k -> k.recognizes(wrapped.keyId())).findFirst()
                .orElseThrow(() -> new JournalKeyException(conversationKey, wrapped.keyId(), "conversation '"
                        + conversationKey + "' (tenant '" + head.tenant() + "'): its data key was wrapped by key '"
                        + wrapped.keyId() + "', which none of the key-encryption keys for this tenant ("
                        + names(candidates) + ") recognizes; configure it (as the tenant's key, or as a previous key "
                        + "after a rotation)", null));
        byte[] plain;
        unwraps.incrementAndGet();
        try {
            plain = kek.unwrap(wrapped);
        } catch (RuntimeException e) {
            throw new JournalKeyException(conversationKey, wrapped.keyId(), "conversation '" + conversationKey
                    + "': key '" + wrapped.keyId() + "' could not unwrap its data key: " + e.getMessage(), e);
        }
        if (plain == null || plain.length != DataKey.LENGTH) {
            throw new JournalKeyException(conversationKey, wrapped.keyId(), "conversation '" + conversationKey
                    + "': key '" + wrapped.keyId() + "' unwrapped its data key to "
                    + (plain == null ? "nothing" : plain.length + " bytes") + ", not a " + DataKey.LENGTH
                    + "-byte AES-256 key (the wrong key?)", null);
        }
        return plain;
    }

    private static String names(List<KeyEncryptionKey> keys) {
        return keys.isEmpty() ? "none" : String.join(", ", keys.stream().map(k -> "'" + k.name() + "'").toList());
    }

    /** Builds an {@link EncryptingTurnJournal}. */
    public static final class Builder {
        private final TurnJournal journal;
        private KeyEncryptionKey current;
        private final List<KeyEncryptionKey> previous = new ArrayList<>();
        private final Map<String, KeyEncryptionKey> tenantKeys = new LinkedHashMap<>();
        private boolean encryptOptions = true;
        private int maxCachedKeys = 10_000;

        private Builder(TurnJournal journal) {
            this.journal = Objects.requireNonNull(journal, "journal");
            if (journal instanceof EncryptingTurnJournal) {
                throw new IllegalArgumentException("the journal is already encrypting; wrap the backend once");
            }
        }

        /** The key-encryption key that wraps new data keys (required). */
        public Builder keyEncryptionKey(KeyEncryptionKey key) {
            this.current = Objects.requireNonNull(key, "keyEncryptionKey");
            return this;
        }

        /**
         * The key-encryption key of one tenant ({@link ConversationHead#tenant()}): it wraps the data keys of that
         * tenant's conversations, and only it (or a {@link #previousKeyEncryptionKeys previous} key) unwraps them.
         * Without a {@link #keyEncryptionKey default key}, tenants without a key of their own are refused.
         *
         * @throws IllegalArgumentException if the tenant id is not valid or already has a key
         */
        public Builder tenantKeyEncryptionKey(String tenant, KeyEncryptionKey key) {
            Tenants.require(tenant, "tenantKeyEncryptionKey");
            if (tenantKeys.putIfAbsent(tenant, Objects.requireNonNull(key, "tenantKeyEncryptionKey")) != null) {
                throw new IllegalArgumentException("tenant '" + tenant + "' already has a key-encryption key");
            }
            return this;
        }

        /**
         * Other key-encryption keys that may have wrapped existing data keys (after moving to a new key): used only
         * to unwrap, until {@link EncryptingTurnJournal#rewrapDataKeys()} has re-wrapped everything.
         */
        public Builder previousKeyEncryptionKeys(KeyEncryptionKey... keys) {
            for (KeyEncryptionKey key : keys) {
                previous.add(Objects.requireNonNull(key, "previousKeyEncryptionKeys"));
            }
            return this;
        }

        /**
         * Whether the turns' options (instructions, metadata and the other Responses API options the application
         * sends with a turn) are encrypted too (default {@code true}).
         */
        public Builder encryptOptions(boolean encrypt) {
            this.encryptOptions = encrypt;
            return this;
        }

        /** How many conversations' unwrapped data keys are kept in memory (default 10,000; least recent go). */
        public Builder maxCachedKeys(int max) {
            if (max < 1) {
                throw new IllegalArgumentException("maxCachedKeys must be at least 1, was " + max);
            }
            this.maxCachedKeys = max;
            return this;
        }

        /** The encrypting journal. */
        public EncryptingTurnJournal build() {
            return new EncryptingTurnJournal(this);
        }
    }
}
