package dev.continuity.journal.memory;

import dev.continuity.journal.AppendResult;
import dev.continuity.journal.ConversationHead;
import dev.continuity.journal.ConversationSummary;
import dev.continuity.journal.JournalException;
import dev.continuity.journal.Page;
import dev.continuity.journal.Tenants;
import dev.continuity.journal.Turn;
import dev.continuity.journal.TurnJournal;
import dev.continuity.journal.TurnOutcome;
import dev.continuity.journal.TurnStatus;
import dev.continuity.journal.spi.ListingToken;
import dev.continuity.journal.spi.TurnWriteRules;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A {@link TurnJournal} in process memory. Nothing survives the process; everything else follows the
 * {@link TurnJournal} contract. Each conversation is guarded by its own lock, so conversations do not
 * contend with each other.
 */
public final class InMemoryTurnJournal implements TurnJournal {

    private static final String TOKEN_SCHEME = "m1";

    private static final Comparator<ConversationSummary> MOST_RECENT_FIRST =
            Comparator.comparing(ConversationSummary::lastActivityAt)
                    .thenComparing(ConversationSummary::conversationKey).reversed();

    private final Clock clock;
    private final ConcurrentHashMap<String, Conversation> conversations = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, dev.continuity.journal.Tombstone> tombstones = new ConcurrentHashMap<>();
    private final InMemoryWorkLeases workLeases = new InMemoryWorkLeases(this::ensureOpen);
    private volatile boolean closed;

    /** A journal that stamps activity with the system clock. */
    public InMemoryTurnJournal() {
        this(Clock.systemUTC());
    }

    /** A journal that stamps activity ({@link ConversationHead#lastActivityAt()}) with {@code clock}. */
    public InMemoryTurnJournal(Clock clock) {
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    @Override
    public AppendResult append(Turn turn) {
        Objects.requireNonNull(turn, "turn");
        ensureOpen();
        Conversation conversation = conversations.get(turn.conversationKey());
        if (conversation == null) {
            throw TurnWriteRules.noHead(turn.conversationKey(), turn.sequence());
        }
        synchronized (conversation) {
            Turn stored = conversation.turn(turn.sequence());
            if (stored != null) {
                return TurnWriteRules.appendOver(stored, turn);
            }
            if (turn.sequence() > conversation.turns.size() + 1) {
                throw TurnWriteRules.gap(turn.conversationKey(), turn.sequence(), conversation.head.lastSequence());
            }
            TurnWriteRules.requireAppendable(conversation.head, conversation.turn(turn.sequence() - 1), turn);
            conversation.turns.add(turn);
            if (turn.status() == TurnStatus.PENDING) {
                conversation.pending.add(turn.sequence());
            }
            conversation.advance(turn.sequence(), clock.instant());
            if (turn.status() == TurnStatus.COMMITTED) {
                conversation.head = conversation.head.withNativeTurn(turn.region(), turn.sequence());
            }
            return AppendResult.WRITTEN;
        }
    }

    @Override
    public AppendResult commit(String conversationKey, long sequence, TurnOutcome outcome) {
        Objects.requireNonNull(conversationKey, "conversationKey");
        Objects.requireNonNull(outcome, "outcome");
        ensureOpen();
        Conversation conversation = conversations.get(conversationKey);
        if (conversation == null) {
            throw TurnWriteRules.noTurn(conversationKey, sequence);
        }
        synchronized (conversation) {
            Turn stored = conversation.turn(sequence);
            if (stored == null) {
                throw TurnWriteRules.noTurn(conversationKey, sequence);
            }
            if (!TurnWriteRules.commitWrites(stored, outcome)) {
                return AppendResult.ALREADY_PRESENT;
            }
            conversation.turns.set((int) sequence - 1, stored.committed(outcome));
            conversation.pending.remove(sequence);
            conversation.advance(sequence, clock.instant());
            conversation.head = conversation.head.withNativeTurn(outcome.region(), sequence);
            return AppendResult.WRITTEN;
        }
    }

    @Override
    public AppendResult discardPending(String conversationKey, long sequence) {
        Objects.requireNonNull(conversationKey, "conversationKey");
        ensureOpen();
        Conversation conversation = conversations.get(conversationKey);
        if (conversation == null) {
            return AppendResult.ALREADY_PRESENT;
        }
        synchronized (conversation) {
            Turn stored = conversation.turn(sequence);
            if (stored == null) {
                return AppendResult.ALREADY_PRESENT;
            }
            if (stored.status() == TurnStatus.COMMITTED) {
                throw TurnWriteRules.discardCommitted(conversationKey, sequence);
            }
            if (sequence != conversation.turns.size()) {
                throw TurnWriteRules.discardNotLast(conversationKey, sequence);
            }
            conversation.turns.remove((int) sequence - 1);
            conversation.pending.remove(sequence);
            conversation.rewind(sequence - 1, clock.instant());
            return AppendResult.WRITTEN;
        }
    }

    @Override
    public List<Turn> read(String conversationKey, long fromSequence) {
        Objects.requireNonNull(conversationKey, "conversationKey");
        ensureOpen();
        Conversation conversation = conversations.get(conversationKey);
        if (conversation == null) {
            return List.of();
        }
        synchronized (conversation) {
            int size = conversation.turns.size();
            int from = (int) Math.max(1, Math.min(fromSequence, size + 1L));
            return List.copyOf(conversation.turns.subList(from - 1, size));
        }
    }

    @Override
    public Optional<Turn> turn(String conversationKey, long sequence) {
        Objects.requireNonNull(conversationKey, "conversationKey");
        ensureOpen();
        Conversation conversation = conversations.get(conversationKey);
        if (conversation == null) {
            return Optional.empty();
        }
        synchronized (conversation) {
            return Optional.ofNullable(conversation.turn(sequence));
        }
    }

    @Override
    public Optional<ConversationHead> head(String conversationKey) {
        Objects.requireNonNull(conversationKey, "conversationKey");
        ensureOpen();
        Conversation conversation = conversations.get(conversationKey);
        return conversation == null ? Optional.empty() : Optional.of(conversation.head);
    }

    @Override
    public Optional<ConversationHead> compareAndSetHead(ConversationHead head, long expectedVersion) {
        Objects.requireNonNull(head, "head");
        if (expectedVersion < 0) {
            throw new IllegalArgumentException("expectedVersion of conversation '" + head.conversationKey()
                    + "' must be >= 0, was " + expectedVersion);
        }
        ensureOpen();
        if (expectedVersion == 0) {
            dev.continuity.journal.Tombstone tombstone = tombstones.get(head.conversationKey());
            if (tombstone != null) {
                throw new dev.continuity.journal.ConversationForgottenException(head.conversationKey(),
                        tombstone.forgottenAt());
            }
            ConversationHead created = TurnWriteRules.createdHead(head);
            Conversation fresh = new Conversation(created);
            return conversations.putIfAbsent(head.conversationKey(), fresh) == null
                    ? Optional.of(created)
                    : Optional.empty();
        }
        Conversation conversation = conversations.get(head.conversationKey());
        if (conversation == null) {
            return Optional.empty();
        }
        synchronized (conversation) {
            ConversationHead stored = conversation.head;
            if (stored.version() != expectedVersion) {
                return Optional.empty();
            }
            Turn last = conversation.turn(stored.lastSequence());
            conversation.head = TurnWriteRules.mergedHead(stored, head, () -> last == null ? null : last.status());
            return Optional.of(conversation.head);
        }
    }

    @Override
    public Page<ConversationSummary> listConversations(String continuationToken, int pageSize) {
        return listing(null, continuationToken, pageSize);
    }

    @Override
    public Page<ConversationSummary> listTenantConversations(String tenant, String continuationToken, int pageSize) {
        return listing(Tenants.require(tenant, "listTenantConversations"), continuationToken, pageSize);
    }

    /** The listing of {@code tenant}'s conversations, or of all when it is null. */
    private Page<ConversationSummary> listing(String tenant, String continuationToken, int pageSize) {
        if (pageSize < 1) {
            throw new IllegalArgumentException("pageSize must be at least 1, was " + pageSize);
        }
        ensureOpen();
        ListingToken after = continuationToken == null ? null : ListingToken.decode(continuationToken, TOKEN_SCHEME);
        // the first pageSize + 1 after the token, kept in a heap whose top is the last of them: a page costs one pass
        // over the conversations and memory for one page, not a sort of all of them
        java.util.PriorityQueue<ConversationSummary> first = new java.util.PriorityQueue<>(pageSize + 1,
                MOST_RECENT_FIRST.reversed());
        for (Conversation conversation : conversations.values()) {
            ConversationHead head = conversation.head;
            if ((tenant == null || tenant.equals(head.tenant()))
                    && (after == null || after.isFollowedBy(head.lastActivityAt(), head.conversationKey()))) {
                first.add(ConversationSummary.of(head));
                if (first.size() > pageSize + 1) {
                    first.poll();
                }
            }
        }
        List<ConversationSummary> all = new ArrayList<>(first);
        all.sort(MOST_RECENT_FIRST);
        if (all.size() <= pageSize) {
            return new Page<>(all, null);
        }
        List<ConversationSummary> page = all.subList(0, pageSize);
        ConversationSummary last = page.get(pageSize - 1);
        return new Page<>(List.copyOf(page),
                new ListingToken(last.lastActivityAt(), last.conversationKey()).encode(TOKEN_SCHEME));
    }

    @Override
    public List<Turn> pendingTurns() {
        ensureOpen();
        List<Turn> pending = new ArrayList<>();
        for (Conversation conversation : conversations.values()) {
            synchronized (conversation) {
                for (long sequence : conversation.pending) {
                    pending.add(conversation.turn(sequence));
                }
            }
        }
        pending.sort(Comparator.comparing(Turn::conversationKey).thenComparingLong(Turn::sequence));
        return pending;
    }

    @Override
    public boolean deleteConversation(String conversationKey, long expectedVersion) {
        Objects.requireNonNull(conversationKey, "conversationKey");
        ensureOpen();
        Conversation conversation = conversations.get(conversationKey);
        if (conversation == null) {
            return false;
        }
        synchronized (conversation) {
            if (expectedVersion != ANY_VERSION && conversation.head.version() != expectedVersion) {
                return false;
            }
            return conversations.remove(conversationKey, conversation);
        }
    }

    @Override
    public Optional<dev.continuity.journal.Tombstone> tombstone(String conversationKey) {
        Objects.requireNonNull(conversationKey, "conversationKey");
        ensureOpen();
        return Optional.ofNullable(tombstones.get(conversationKey));
    }

    @Override
    public void putTombstone(dev.continuity.journal.Tombstone tombstone) {
        Objects.requireNonNull(tombstone, "tombstone");
        ensureOpen();
        tombstones.put(tombstone.conversationKey(), tombstone);
    }

    @Override
    public List<dev.continuity.journal.Tombstone> pendingTombstones() {
        ensureOpen();
        return tombstones.values().stream().filter(t -> !t.clean())
                .sorted(Comparator.comparing(dev.continuity.journal.Tombstone::conversationKey)).toList();
    }

    @Override
    public dev.continuity.journal.WorkLeases workLeases() {
        return workLeases;
    }

    /** Marks the journal closed; later calls fail with {@link JournalException}. */
    @Override
    public void close() {
        closed = true;
    }

    private void ensureOpen() {
        if (closed) {
            throw new JournalException("in-memory journal is closed");
        }
    }

    /** One conversation: its head and its turns (index {@code sequence - 1}); guarded by its monitor. */
    private static final class Conversation {
        final List<Turn> turns = new ArrayList<>();
        final TreeSet<Long> pending = new TreeSet<>();
        volatile ConversationHead head;

        Conversation(ConversationHead head) {
            this.head = head;
        }

        Turn turn(long sequence) {
            return sequence >= 1 && sequence <= turns.size() ? turns.get((int) sequence - 1) : null;
        }

        void advance(long sequence, Instant now) {
            moveTo(Math.max(head.lastSequence(), sequence), now);
        }

        void rewind(long lastSequence, Instant now) {
            moveTo(lastSequence, now);
        }

        private void moveTo(long lastSequence, Instant now) {
            ConversationHead h = head;
            head = h.with(lastSequence, h.createdAt(), TurnWriteRules.later(h.lastActivityAt(), now), h.regions(),
                    h.version() + 1);
        }
    }
}
