package dev.continuity.journal;

import dev.continuity.journal.spi.WorkLeaseRules;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One tenant's view of a shared {@link TurnJournal}: everything read, written, listed or replayed through it
 * belongs to that tenant, and another tenant's conversation is not there for it. Give it to a tenant's
 * {@link dev.continuity.client.ContinuityClient} ({@code ContinuityClient.builder().tenant("t1")} wraps the
 * journal in one), so that the client, its catch-up replay and its recovery of pending turns can only reach
 * the tenant's conversations, whichever conversation key the application passes.
 *
 * <ul>
 *   <li>A conversation of another tenant reads as absent: {@link #head} and {@link #turn} are empty,
 *       {@link #read} is empty, {@link #listConversations} and {@link #pendingTurns} leave it out.</li>
 *   <li>Writes to it ({@link #append}, {@link #commit}, {@link #discardPending}, {@link #compareAndSetHead})
 *       throw {@link JournalException} naming the key and this tenant, and write nothing.</li>
 *   <li>Conversation keys are unique across the journal, not per tenant: creating a conversation under a key
 *       that another tenant holds is refused (the refusal tells that the key is taken, nothing of its
 *       content). Applications that let tenants choose keys should prefix them with the tenant or use random
 *       keys.</li>
 *   <li>New conversations must name this tenant ({@link ConversationHead#tenant()}); a head of another tenant
 *       is refused with {@link IllegalArgumentException}.</li>
 * </ul>
 *
 * <p>The view checks the conversation's head before each access (one more read per call); the tenant of a
 * conversation never changes, so the check cannot be outdated by a head change. It is an access boundary
 * inside the application's process, not a security boundary against code that holds the underlying journal
 * (or the database): that is what per-tenant encryption keys are for (docs/data-controls.md).
 * {@link #close()} leaves the shared journal open.
 */
public final class TenantScopedJournal implements TurnJournal {

    private final TurnJournal journal;
    private final String tenant;

    private TenantScopedJournal(TurnJournal journal, String tenant) {
        this.journal = journal;
        this.tenant = tenant;
    }

    /**
     * {@code tenant}'s view of {@code journal} (a view of a view of another tenant is refused).
     *
     * @throws IllegalArgumentException if the tenant id is not valid ({@link Tenants})
     */
    public static TenantScopedJournal of(TurnJournal journal, String tenant) {
        Objects.requireNonNull(journal, "journal");
        Tenants.require(tenant, "the tenant-scoped journal");
        if (journal instanceof TenantScopedJournal scoped) {
            if (!scoped.tenant.equals(tenant)) {
                throw new IllegalArgumentException("the journal is already scoped to tenant '" + scoped.tenant
                        + "'; it cannot be scoped to tenant '" + tenant + "'");
            }
            return scoped;
        }
        return new TenantScopedJournal(journal, tenant);
    }

    /** The tenant this view is scoped to. */
    public String tenant() {
        return tenant;
    }

    /** The shared journal under this view. */
    public TurnJournal delegate() {
        return journal;
    }

    @Override
    public AppendResult append(Turn turn) {
        requireOwned(turn.conversationKey(), "append turn " + turn.sequence() + " to");
        return journal.append(turn);
    }

    @Override
    public AppendResult commit(String conversationKey, long sequence, TurnOutcome outcome) {
        requireOwned(conversationKey, "commit turn " + sequence + " of");
        return journal.commit(conversationKey, sequence, outcome);
    }

    @Override
    public AppendResult discardPending(String conversationKey, long sequence) {
        requireOwned(conversationKey, "discard turn " + sequence + " of");
        return journal.discardPending(conversationKey, sequence);
    }

    @Override
    public List<Turn> read(String conversationKey, long fromSequence) {
        return owns(conversationKey) ? journal.read(conversationKey, fromSequence) : List.of();
    }

    @Override
    public Optional<Turn> turn(String conversationKey, long sequence) {
        return owns(conversationKey) ? journal.turn(conversationKey, sequence) : Optional.empty();
    }

    @Override
    public Optional<ConversationHead> head(String conversationKey) {
        return journal.head(conversationKey).filter(h -> h.tenant().equals(tenant));
    }

    @Override
    public Optional<ConversationHead> compareAndSetHead(ConversationHead head, long expectedVersion) {
        if (!head.tenant().equals(tenant)) {
            throw new IllegalArgumentException("conversation '" + head.conversationKey() + "' names tenant '"
                    + head.tenant() + "'; this journal is scoped to tenant '" + tenant + "'");
        }
        Optional<ConversationHead> stored = journal.head(head.conversationKey());
        if (stored.isPresent() && !stored.get().tenant().equals(tenant)) {
            throw new JournalException("conversation key '" + head.conversationKey() + "' is taken by another "
                    + "tenant; tenant '" + tenant + "' cannot use it (conversation keys are unique across the journal)");
        }
        return journal.compareAndSetHead(head, expectedVersion);
    }

    /** This tenant's conversations ({@link TurnJournal#listTenantConversations}). */
    @Override
    public Page<ConversationSummary> listConversations(String continuationToken, int pageSize) {
        return journal.listTenantConversations(tenant, continuationToken, pageSize);
    }

    /**
     * This tenant's conversations; asking for another tenant's is refused.
     *
     * @throws IllegalArgumentException if {@code tenant} is not this view's tenant
     */
    @Override
    public Page<ConversationSummary> listTenantConversations(String tenant, String continuationToken, int pageSize) {
        if (!this.tenant.equals(tenant)) {
            throw new IllegalArgumentException("this journal is scoped to tenant '" + this.tenant
                    + "'; it cannot list the conversations of tenant '" + tenant + "'");
        }
        return listConversations(continuationToken, pageSize);
    }

    /**
     * Deletes one of this tenant's conversations; another tenant's is refused like any write to it.
     *
     * @throws JournalException if the conversation belongs to another tenant
     */
    @Override
    public boolean deleteConversation(String conversationKey, long expectedVersion) {
        requireNotOthers(conversationKey, "delete");
        return journal.deleteConversation(conversationKey, expectedVersion);
    }

    /**
     * The tombstone of a forgotten key. Tombstones are journal-wide, as keys are: a forgotten key stays taken for
     * every tenant. They hold the key and regional ids, never content.
     */
    @Override
    public Optional<Tombstone> tombstone(String conversationKey) {
        return journal.tombstone(conversationKey);
    }

    /**
     * Stores a tombstone for a key that is this tenant's, or no longer anyone's (an erasure's later updates).
     *
     * @throws JournalException if the key names another tenant's conversation
     */
    @Override
    public void putTombstone(Tombstone tombstone) {
        requireNotOthers(tombstone.conversationKey(), "forget");
        journal.putTombstone(tombstone);
    }

    /** The journal's pending tombstones (journal-wide, see {@link #tombstone}): what erasure retries still owe. */
    @Override
    public List<Tombstone> pendingTombstones() {
        return journal.pendingTombstones();
    }

    /**
     * The journal's leases, with every scope prefixed by {@code tenant/<tenant>/}: work shared through one tenant's
     * view (which lists only that tenant's conversations) never meets another tenant's.
     */
    @Override
    public WorkLeases workLeases() {
        WorkLeases leases = journal.workLeases();
        String prefix = "tenant/" + tenant + "/";
        return new WorkLeases() {
            @Override
            public Optional<WorkLease> get(String scope, String name) {
                return leases.get(prefix + scope, name).map(l -> unscoped(l, scope));
            }

            @Override
            public Optional<WorkLease> compareAndSet(WorkLease lease, long expectedVersion) {
                WorkLease scoped = new WorkLease(prefix + lease.scope(), lease.name(), lease.owner(),
                        lease.expiresAt(), lease.state(), lease.version());
                return leases.compareAndSet(scoped, expectedVersion).map(l -> unscoped(l, lease.scope()));
            }

            @Override
            public boolean compareAndDelete(String scope, String name, long expectedVersion) {
                WorkLeaseRules.checkDelete(scope, name, expectedVersion);
                return leases.compareAndDelete(prefix + scope, name, expectedVersion);
            }

            @Override
            public List<WorkLease> list(String scope) {
                return leases.list(prefix + scope).stream().map(l -> unscoped(l, scope)).toList();
            }
        };
    }

    private static WorkLease unscoped(WorkLease lease, String scope) {
        return new WorkLease(scope, lease.name(), lease.owner(), lease.expiresAt(), lease.state(), lease.version());
    }

    private void requireNotOthers(String conversationKey, String action) {
        Optional<ConversationHead> stored = journal.head(conversationKey);
        if (stored.isPresent() && !stored.get().tenant().equals(tenant)) {
            throw new JournalException("conversation '" + conversationKey + "' belongs to another tenant; tenant '"
                    + tenant + "' cannot " + action + " it");
        }
    }

    @Override
    public List<Turn> pendingTurns() {
        return journal.pendingTurns().stream().filter(t -> owns(t.conversationKey())).toList();
    }

    @Override
    public TurnDurability defaultDurability() {
        return journal.defaultDurability();
    }

    /** Leaves the shared journal open: it belongs to whoever opened it. */
    @Override
    public void close() {
        // a view holds no resources
    }

    private boolean owns(String conversationKey) {
        return head(conversationKey).isPresent();
    }

    private void requireOwned(String conversationKey, String what) {
        if (!owns(conversationKey)) {
            throw new JournalException("cannot " + what + " conversation '" + conversationKey + "': tenant '"
                    + tenant + "' has no such conversation");
        }
    }
}
