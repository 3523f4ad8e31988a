package dev.continuity.cosmos;

import com.azure.cosmos.CosmosAsyncClient;
import com.azure.cosmos.CosmosClient;
import com.azure.cosmos.CosmosException;
import com.azure.cosmos.models.CosmosBatch;
import com.azure.cosmos.models.CosmosBatchItemRequestOptions;
import com.azure.cosmos.models.CosmosBatchOperationResult;
import com.azure.cosmos.models.CosmosBatchResponse;
import com.azure.cosmos.models.CosmosItemResponse;
import com.azure.cosmos.models.CosmosQueryRequestOptions;
import com.azure.cosmos.models.FeedResponse;
import com.azure.cosmos.models.PartitionKey;
import com.azure.cosmos.models.SqlParameter;
import com.azure.cosmos.models.SqlQuerySpec;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.continuity.cosmos.internal.AsyncContainerGateway;
import dev.continuity.cosmos.internal.ContainerGateway;
import dev.continuity.cosmos.internal.ConversationCache;
import dev.continuity.cosmos.internal.JournalDocuments;
import dev.continuity.cosmos.internal.JournalLayout;
import dev.continuity.cosmos.internal.JournalPartitions;
import dev.continuity.cosmos.internal.LayoutCheck;
import dev.continuity.cosmos.internal.StoredHead;
import dev.continuity.cosmos.internal.StoredTurn;
import dev.continuity.cosmos.internal.SyncContainerGateway;
import dev.continuity.journal.AppendResult;
import dev.continuity.journal.ConversationForgottenException;
import dev.continuity.journal.ConversationHead;
import dev.continuity.journal.Tombstone;
import dev.continuity.journal.ConversationSummary;
import dev.continuity.journal.JournalException;
import dev.continuity.journal.Page;
import dev.continuity.journal.Tenants;
import dev.continuity.journal.Turn;
import dev.continuity.journal.TurnConflictException;
import dev.continuity.journal.TurnDurability;
import dev.continuity.journal.TurnJournal;
import dev.continuity.journal.TurnOutcome;
import dev.continuity.journal.TurnStatus;
import dev.continuity.journal.spi.ListingToken;
import dev.continuity.journal.spi.TurnWriteRules;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link TurnJournal} in one Azure Cosmos DB (NoSQL API) container, partitioned by conversation key, or by
 * tenant and conversation key ({@link Builder#partitioning}, {@link CosmosPartitioning}).
 *
 * <p>Each conversation is one logical partition holding one head document ({@code id "head"}) and one
 * document per turn ({@code id "turn:<19-digit sequence>"}). Every write (append, commit, discard) is
 * <b>one transactional batch</b>: the turn document and the head document change together or not at
 * all, and the head's etag serializes writers of one conversation across processes. This journal keeps
 * the head etag and the last turn it wrote per conversation, so in the steady state (one process
 * appending and committing a conversation's turns) a write costs exactly one request; after another
 * writer changed the conversation, the batch fails on the stale etag, the journal re-reads and decides
 * again (an idempotent retry, a conflict, or the next write).
 *
 * <p>Reads are point reads and partition-scoped queries ordered by sequence; the conversation listing
 * and {@link #pendingTurns()} are cross-partition queries. See {@code docs/cosmos.md} for the data model,
 * the indexing policy, request costs and what each consistency level means for RPO.
 *
 * <p>Build with {@link #builder()}; create the container with {@link CosmosJournalProvisioner}. The
 * journal does not own the client: {@link #close()} leaves it open. Thread safe. The methods block; with
 * an asynchronous client, do not call them from the client's event-loop threads.
 */
public final class CosmosTurnJournal implements TurnJournal {

    private static final Logger LOG = LoggerFactory.getLogger(CosmosTurnJournal.class);
    /** Bound on re-reads while other writers keep changing one conversation. */
    private static final int MAX_ATTEMPTS = 64;
    private static final int READ_PAGE_SIZE = 100;
    private static final int MAX_LIST_PAGE = 1000;
    /** Names this journal kind in its listing tokens, so a token from another journal is refused. */
    private static final String TOKEN_SCHEME = "cosmos1";
    /** What a refused listing token was not issued by. */
    private static final String TOKEN_ISSUER = "CosmosTurnJournal.listConversations";
    /** Room left in a batch for the head document and the batch envelope. */
    private static final int BATCH_OVERHEAD_BYTES = 64 * 1024;

    private final ContainerGateway store;
    private final JournalPartitions partitions;
    private final Clock clock;
    private final ConversationCache cache;
    /** The retention period, or null when documents carry no time to live of their own. */
    private final Duration retention;
    private volatile boolean closed;
    private final dev.continuity.cosmos.internal.CosmosWorkLeases workLeases;

    private CosmosTurnJournal(ContainerGateway store, CosmosPartitioning partitioning, Clock clock,
            int cachedConversations, Duration retention) {
        this.retention = retention;
        this.store = store;
        this.partitions = new JournalPartitions(partitioning);
        this.clock = clock;
        this.cache = new ConversationCache(cachedConversations);
        this.workLeases = new dev.continuity.cosmos.internal.CosmosWorkLeases(store, partitions);
    }

    /** A builder. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * {@link TurnDurability#ANSWER_ONLY}: Cosmos DB bills every request, so a client journals each turn in
     * one transactional batch (turn document plus head) once the service answered, instead of a pending
     * write before the call and a commit after it. Choose {@link TurnDurability#PENDING_INPUT} on the
     * client builder to have in-flight turns survive a process crash at the cost of a second batch per turn.
     */
    @Override
    public TurnDurability defaultDurability() {
        return TurnDurability.ANSWER_ONLY;
    }

    // ------------------------------------------------------------------------------------------- writes

    @Override
    public AppendResult append(Turn turn) {
        Objects.requireNonNull(turn, "turn");
        ensureOpen();
        String key = turn.conversationKey();
        long sequence = turn.sequence();
        ObjectNode turnDocument = timed(JournalDocuments.turnDocument(turn));
        requireFits(turnDocument, key, sequence);
        ConversationCache.Entry cached = cache.get(key);
        StoredHead head = cached == null ? null : cached.head();
        boolean fresh = false;
        boolean renewed = false; // the time to live is renewed at most once per write
        for (int attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
            if (head == null) {
                head = readHead(key).orElseThrow(() -> TurnWriteRules.noHead(key, sequence));
                fresh = true;
            }
            if (sequence <= head.journaledThrough()) {
                Optional<StoredTurn> stored = readTurn(key, sequence);
                if (stored.isPresent()) {
                    return TurnWriteRules.appendOver(stored.get().turn(), turn);
                }
                if (fresh) {
                    throw new JournalException("turn " + sequence + " of conversation '" + key + "' is missing from "
                            + store.describe() + " although the head says turns up to " + head.journaledThrough()
                            + " are journaled (expired by a retention TTL, or deleted outside the journal)");
                }
                head = null;
                continue;
            }
            if (sequence > head.journaledThrough() + 1) {
                if (!fresh) {
                    head = null;
                    continue;
                }
                throw TurnWriteRules.gap(key, sequence, head.journaledThrough());
            }
            TurnStatus previous = sequence == 1 ? null
                    : head.lastTurnStatus() != null ? head.lastTurnStatus() : statusOf(previousTurn(key, sequence - 1));
            if (sequence > 1 && previous == null) {
                if (!fresh) {
                    head = null;
                    continue;
                }
                throw new JournalException("turn " + (sequence - 1) + " of conversation '" + key + "' is missing from "
                        + store.describe() + " although the head says turns up to " + head.journaledThrough()
                        + " are journaled (expired by a retention TTL, or deleted outside the journal)");
            }
            try {
                TurnWriteRules.requireAppendable(head.head().agentName(), head.head().agentVersion(), previous,
                        head.journaledThrough(), turn);
            } catch (TurnConflictException refused) {
                if (!fresh) {
                    head = null; // refuse on a fresh head only
                    continue;
                }
                throw refused;
            }
            ConversationHead next = advanced(head.head(), sequence);
            if (!renewed) {
                renewed = refreshTimeToLive(head.head(), next);
            }
            if (turn.status() == TurnStatus.COMMITTED) {
                next = next.withNativeTurn(turn.region(), sequence); // as commit does: still one batch
            }
            CosmosBatch batch = CosmosBatch.createCosmosBatch(partitionOf(head));
            batch.createItemOperation(partitions.place(turnDocument, head.head().tenant()));
            batch.replaceItemOperation(JournalLayout.HEAD_ID,
                    timed(JournalDocuments.headDocument(next, sequence, turn.status())), ifMatch(head.etag()));
            CosmosBatchResponse response = execute(batch, "append", key, sequence);
            if (response.isSuccessStatusCode()) {
                List<CosmosBatchOperationResult> results = response.getResults();
                cache.put(key, new ConversationCache.Entry(new StoredHead(next, sequence, turn.status(),
                        results.get(1).getETag()), new StoredTurn(turn, results.get(0).getETag())));
                return AppendResult.WRITTEN;
            }
            int turnStatus = status(response, 0);
            int headStatus = status(response, 1);
            if (turnStatus == 409) {
                Optional<StoredTurn> stored = readTurn(key, sequence);
                if (stored.isPresent()) {
                    return TurnWriteRules.appendOver(stored.get().turn(), turn);
                }
            } else if (headStatus == 404) {
                cache.remove(key);
                throw TurnWriteRules.noHead(key, sequence);
            } else if (headStatus != 412) {
                throw failed(response, "append", key, sequence);
            }
            LOG.debug("append of turn {} of conversation '{}': batch failed ({}, {}), re-reading the head",
                    sequence, key, turnStatus, headStatus);
            head = null;
        }
        throw busy("append", key, sequence);
    }

    @Override
    public AppendResult commit(String conversationKey, long sequence, TurnOutcome outcome) {
        Objects.requireNonNull(conversationKey, "conversationKey");
        Objects.requireNonNull(outcome, "outcome");
        ensureOpen();
        String key = conversationKey;
        ConversationCache.Entry cached = cache.get(key);
        StoredHead head = cached == null ? null : cached.head();
        StoredTurn stored = cached != null && cached.lastTurn() != null
                && cached.lastTurn().turn().sequence() == sequence ? cached.lastTurn() : null;
        boolean renewed = false; // the time to live is renewed at most once per write
        for (int attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
            if (stored == null) {
                stored = readTurn(key, sequence).orElseThrow(() -> TurnWriteRules.noTurn(key, sequence));
            }
            // a committed turn never changes again, so a cached committed turn is as good as a fresh read
            if (!TurnWriteRules.commitWrites(stored.turn(), outcome)) {
                return AppendResult.ALREADY_PRESENT;
            }
            if (head == null) {
                head = readHead(key).orElseThrow(() -> TurnWriteRules.noTurn(key, sequence));
            }
            Turn committed = stored.turn().committed(outcome);
            ObjectNode turnDocument = partitions.place(timed(JournalDocuments.turnDocument(committed)),
                    head.head().tenant());
            requireFits(turnDocument, key, sequence);
            ConversationHead next = advanced(head.head(), sequence).withNativeTurn(outcome.region(), sequence);
            if (!renewed) {
                renewed = refreshTimeToLive(head.head(), next);
            }
            CosmosBatch batch = CosmosBatch.createCosmosBatch(partitionOf(head));
            batch.replaceItemOperation(JournalLayout.turnId(sequence), turnDocument, ifMatch(stored.etag()));
            TurnStatus lastTurnStatus = sequence == head.journaledThrough() ? TurnStatus.COMMITTED
                    : head.lastTurnStatus();
            batch.replaceItemOperation(JournalLayout.HEAD_ID,
                    timed(JournalDocuments.headDocument(next, head.journaledThrough(), lastTurnStatus)),
                    ifMatch(head.etag()));
            CosmosBatchResponse response = execute(batch, "commit", key, sequence);
            if (response.isSuccessStatusCode()) {
                List<CosmosBatchOperationResult> results = response.getResults();
                cache.put(key, new ConversationCache.Entry(
                        new StoredHead(next, head.journaledThrough(), lastTurnStatus, results.get(1).getETag()),
                        new StoredTurn(committed, results.get(0).getETag())));
                return AppendResult.WRITTEN;
            }
            int turnStatus = status(response, 0);
            int headStatus = status(response, 1);
            if (turnStatus == 412 || turnStatus == 404) {
                stored = null; // changed or discarded since: read it again
            } else if (headStatus == 412) {
                head = null;
            } else {
                throw failed(response, "commit", key, sequence);
            }
            LOG.debug("commit of turn {} of conversation '{}': batch failed ({}, {}), re-reading",
                    sequence, key, turnStatus, headStatus);
        }
        throw busy("commit", key, sequence);
    }

    @Override
    public AppendResult discardPending(String conversationKey, long sequence) {
        Objects.requireNonNull(conversationKey, "conversationKey");
        ensureOpen();
        String key = conversationKey;
        ConversationCache.Entry cached = cache.get(key);
        StoredHead head = cached == null ? null : cached.head();
        // cached documents are only guesses: their etags guard the batch, and a decision to refuse is
        // taken on fresh reads only
        StoredTurn stored = cached != null && cached.lastTurn() != null
                && cached.lastTurn().turn().sequence() == sequence ? cached.lastTurn() : null;
        boolean headFresh = false;
        boolean turnFresh = false;
        boolean renewed = false; // the time to live is renewed at most once per write
        for (int attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
            if (stored == null) {
                Optional<StoredTurn> found = readTurn(key, sequence);
                if (found.isEmpty()) {
                    return AppendResult.ALREADY_PRESENT;
                }
                stored = found.get();
                turnFresh = true;
            }
            if (stored.turn().status() == TurnStatus.COMMITTED) {
                throw TurnWriteRules.discardCommitted(key, sequence); // committed turns never change back
            }
            if (head == null) {
                head = readHead(key).orElseThrow(() -> TurnWriteRules.noTurn(key, sequence));
                headFresh = true;
            }
            if (sequence != head.journaledThrough()) {
                if (headFresh && turnFresh) {
                    throw TurnWriteRules.discardNotLast(key, sequence);
                }
                head = headFresh ? head : null;
                stored = turnFresh ? stored : null;
                continue;
            }
            ConversationHead current = head.head();
            ConversationHead next = current.with(sequence - 1, current.createdAt(),
                    TurnWriteRules.later(current.lastActivityAt(), clock.instant()), current.regions(),
                    current.version() + 1);
            if (!renewed) {
                renewed = refreshTimeToLive(current, next);
            }
            CosmosBatch batch = CosmosBatch.createCosmosBatch(partitionOf(head));
            batch.deleteItemOperation(JournalLayout.turnId(sequence), ifMatch(stored.etag()));
            batch.replaceItemOperation(JournalLayout.HEAD_ID, timed(JournalDocuments.headDocument(next, sequence - 1)),
                    ifMatch(head.etag()));
            CosmosBatchResponse response = execute(batch, "discard", key, sequence);
            if (response.isSuccessStatusCode()) {
                cache.put(key, new ConversationCache.Entry(
                        new StoredHead(next, sequence - 1, null, response.getResults().get(1).getETag()), null));
                return AppendResult.WRITTEN;
            }
            int turnStatus = status(response, 0);
            int headStatus = status(response, 1);
            if (turnStatus == 412 || turnStatus == 404) {
                stored = null;
                turnFresh = false;
            } else if (headStatus == 412) {
                head = null;
                headFresh = false;
            } else {
                throw failed(response, "discard", key, sequence);
            }
        }
        throw busy("discard", key, sequence);
    }

    @Override
    public Optional<ConversationHead> compareAndSetHead(ConversationHead head, long expectedVersion) {
        Objects.requireNonNull(head, "head");
        if (expectedVersion < 0) {
            throw new IllegalArgumentException("expectedVersion of conversation '" + head.conversationKey()
                    + "' must be >= 0, was " + expectedVersion);
        }
        ensureOpen();
        String key = head.conversationKey();
        if (expectedVersion == 0) {
            return createHead(head);
        }
        ConversationCache.Entry cached = cache.get(key);
        StoredHead current = cached == null ? null : cached.head();
        boolean fresh = false;
        boolean renewed = false; // the time to live is renewed at most once per write
        for (int attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
            if (current == null) {
                Optional<StoredHead> read = readHead(key);
                if (read.isEmpty()) {
                    return Optional.empty();
                }
                current = read.get();
                fresh = true;
            }
            ConversationHead stored = current.head();
            if (stored.version() != expectedVersion) {
                if (!fresh) {
                    current = null;
                    continue;
                }
                return Optional.empty();
            }
            StoredHead guarded = current;
            ConversationHead next = TurnWriteRules.mergedHead(stored, head, () -> {
                if (guarded.lastTurnStatus() != null && guarded.journaledThrough() == stored.lastSequence()) {
                    return guarded.lastTurnStatus();
                }
                return stored.lastSequence() == 0 ? null : statusOf(previousTurn(key, stored.lastSequence()));
            });
            if (!renewed) {
                renewed = refreshTimeToLive(stored, next);
            }
            CosmosBatch batch = CosmosBatch.createCosmosBatch(partitionOf(current));
            batch.replaceItemOperation(JournalLayout.HEAD_ID,
                    timed(JournalDocuments.headDocument(next, current.journaledThrough(), current.lastTurnStatus())),
                    ifMatch(current.etag()));
            CosmosBatchResponse response = execute(batch, "head change", key, 0);
            if (response.isSuccessStatusCode()) {
                cache.putHead(key, new StoredHead(next, current.journaledThrough(), current.lastTurnStatus(),
                        response.getResults().get(0).getETag()));
                return Optional.of(next);
            }
            int headStatus = status(response, 0);
            if (headStatus == 404) {
                cache.remove(key);
                return Optional.empty();
            }
            if (headStatus != 412) {
                throw failed(response, "head change", key, 0);
            }
            current = null;
        }
        throw busy("head change", key, 0);
    }

    private Optional<ConversationHead> createHead(ConversationHead head) {
        String key = head.conversationKey();
        Optional<Tombstone> tombstone = tombstone(key);
        if (tombstone.isPresent()) {
            throw new ConversationForgottenException(key, tombstone.get().forgottenAt());
        }
        ConversationHead created = TurnWriteRules.createdHead(head);
        if (partitions.hierarchical() && !holdKey(key, created.tenant())) {
            throw new JournalException("conversation key '" + key + "' is taken by another tenant; tenant '"
                    + created.tenant() + "' cannot use it (conversation keys are unique across the journal, and with "
                    + "hierarchical partitioning a key stays with the tenant that first used it, also after its "
                    + "conversation was deleted)");
        }
        try {
            CosmosItemResponse<ObjectNode> response = store.create(timed(JournalDocuments.headDocument(created, 0)),
                    partitions.conversation(created.tenant(), key));
            cache.put(key, new ConversationCache.Entry(new StoredHead(created, 0, null, response.getETag()), null));
            return Optional.of(created);
        } catch (CosmosException e) {
            if (e.getStatusCode() == 409) {
                return Optional.empty();
            }
            throw storeFailure(e, "creating the head of conversation '" + key + "'");
        }
    }

    // -------------------------------------------------------------------------------------------- reads

    @Override
    public List<Turn> read(String conversationKey, long fromSequence) {
        Objects.requireNonNull(conversationKey, "conversationKey");
        ensureOpen();
        SqlQuerySpec query = new SqlQuerySpec(
                "SELECT * FROM c WHERE c.type = @type AND c.sequence >= @from ORDER BY c.sequence",
                new SqlParameter("@type", JournalLayout.TYPE_TURN), new SqlParameter("@from", fromSequence));
        PartitionKey partition = partitionOrNull(conversationKey);
        if (partition == null) {
            return List.of(); // no tenant holds the key: no conversation
        }
        CosmosQueryRequestOptions options = new CosmosQueryRequestOptions().setPartitionKey(partition);
        List<Turn> turns = new ArrayList<>();
        long expected = Math.max(1, fromSequence);
        try {
            for (FeedResponse<ObjectNode> page : store.query(query, options, READ_PAGE_SIZE)) {
                for (ObjectNode document : page.getResults()) {
                    Turn turn = JournalDocuments.turn(document);
                    if (turn.sequence() != expected) {
                        throw new JournalException("turn " + expected + " of conversation '" + conversationKey
                                + "' is missing from " + store.describe() + " (the next stored turn is "
                                + turn.sequence() + "): expired by a retention TTL, or deleted outside the journal");
                    }
                    turns.add(turn);
                    expected++;
                }
            }
        } catch (CosmosException e) {
            throw storeFailure(e, "reading the turns of conversation '" + conversationKey + "' from " + fromSequence);
        }
        return turns;
    }

    @Override
    public Optional<Turn> turn(String conversationKey, long sequence) {
        Objects.requireNonNull(conversationKey, "conversationKey");
        ensureOpen();
        if (sequence < 1) {
            return Optional.empty();
        }
        return readTurn(conversationKey, sequence).map(StoredTurn::turn);
    }

    @Override
    public Optional<ConversationHead> head(String conversationKey) {
        Objects.requireNonNull(conversationKey, "conversationKey");
        ensureOpen();
        Optional<StoredHead> head = readHead(conversationKey);
        head.ifPresent(stored -> cache.putHead(conversationKey, stored));
        return head.map(StoredHead::head);
    }

    /**
     * Lists conversations, most recently active first.
     *
     * <p>A cross-partition query ordered by the composite index {@code (lastActivityAt DESC,
     * conversationKey ASC)}; each page is a fresh query for what sorts after the previous page's last
     * conversation (keyset paging), so tokens never expire. A conversation that becomes active while a
     * listing is being paged moves to the front and is not seen again in that listing. Pages hold at
     * most 1000 conversations whatever {@code pageSize} asks for.
     *
     * @param continuationToken token from the previous page, or {@code null} for the first
     * @param pageSize at most this many per page (at least 1)
     */
    @Override
    public Page<ConversationSummary> listConversations(String continuationToken, int pageSize) {
        return listing(null, continuationToken, pageSize);
    }

    /**
     * Lists one tenant's conversations, as {@link #listConversations} (a cross-partition query filtered by the head
     * documents' {@code tenant}; heads written before tenants existed have none and count as the default tenant's).
     */
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
        ListingToken after = continuationToken == null
                ? null
                : ListingToken.decode(continuationToken, TOKEN_SCHEME, TOKEN_ISSUER);
        int limit = Math.min(pageSize, MAX_LIST_PAGE);
        StringBuilder sql = new StringBuilder("SELECT TOP ").append(limit + 1)
                .append(" c.conversationKey, c.agentName, c.lastSequence, c.lastActivityAt, c.tenant FROM c"
                        + " WHERE c.type = @type");
        List<SqlParameter> parameters = new ArrayList<>();
        parameters.add(new SqlParameter("@type", JournalLayout.TYPE_HEAD));
        if (tenant != null) {
            sql.append(Tenants.DEFAULT.equals(tenant) ? " AND (c.tenant = @tenant OR NOT IS_DEFINED(c.tenant))"
                    : " AND c.tenant = @tenant");
            parameters.add(new SqlParameter("@tenant", tenant));
        }
        if (after != null) {
            sql.append(" AND (c.lastActivityAt < @at OR (c.lastActivityAt = @at AND c.conversationKey > @key))");
            parameters.add(new SqlParameter("@at", JournalDocuments.timestamp(after.lastActivityAt())));
            parameters.add(new SqlParameter("@key", after.conversationKey()));
        }
        sql.append(" ORDER BY c.lastActivityAt DESC, c.conversationKey ASC");
        List<ConversationSummary> found = new ArrayList<>(limit + 1);
        CosmosQueryRequestOptions options = new CosmosQueryRequestOptions();
        if (tenant != null && partitions.hierarchical()) {
            options.setPartitionKey(partitions.tenantPrefix(tenant)); // only the tenant's partitions
        }
        try {
            for (FeedResponse<ObjectNode> page : store.query(new SqlQuerySpec(sql.toString(), parameters),
                    options, limit + 1)) {
                for (ObjectNode document : page.getResults()) {
                    if (found.size() <= limit) {
                        found.add(JournalDocuments.summary(document));
                    }
                }
                if (found.size() > limit) {
                    break;
                }
            }
        } catch (CosmosException e) {
            throw storeFailure(e, "listing conversations");
        }
        if (found.size() <= limit) {
            return new Page<>(found, null);
        }
        List<ConversationSummary> items = found.subList(0, limit);
        ConversationSummary last = items.get(limit - 1);
        return new Page<>(items, new ListingToken(last.lastActivityAt(), last.conversationKey()).encode(TOKEN_SCHEME));
    }

    /**
     * Every turn still pending (a process died between the service call and the commit). A
     * cross-partition query; sorted by conversation key, then sequence.
     */
    @Override
    public List<Turn> pendingTurns() {
        ensureOpen();
        SqlQuerySpec query = new SqlQuerySpec("SELECT * FROM c WHERE c.type = @type AND c.status = @status",
                new SqlParameter("@type", JournalLayout.TYPE_TURN),
                new SqlParameter("@status", TurnStatus.PENDING.name()));
        List<Turn> pending = new ArrayList<>();
        queryAll(query, new CosmosQueryRequestOptions(), "listing pending turns")
                .forEach(document -> pending.add(JournalDocuments.turn(document)));
        pending.sort(Comparator.comparing(Turn::conversationKey).thenComparingLong(Turn::sequence));
        return pending;
    }

    /**
     * Deletes the head (guarded by its etag when a version is expected), then every turn document of the
     * partition in transactional batches of at most 100 deletions. Deleting the head first makes every later
     * write of the conversation fail; a crash before the turns are gone leaves turns without a head, which a
     * deletion with {@link #ANY_VERSION} (erasure, and its retries) removes.
     */
    @Override
    public boolean deleteConversation(String conversationKey, long expectedVersion) {
        Objects.requireNonNull(conversationKey, "conversationKey");
        ensureOpen();
        String key = conversationKey;
        cache.remove(key);
        PartitionKey partition = partitionOrNull(key);
        if (partition == null) {
            return false; // no tenant holds the key: nothing of it is stored
        }
        Optional<StoredHead> head = readHead(key);
        boolean deleted = false;
        if (head.isPresent()) {
            if (expectedVersion != ANY_VERSION && head.get().head().version() != expectedVersion) {
                return false;
            }
            CosmosBatch batch = CosmosBatch.createCosmosBatch(partition);
            batch.deleteItemOperation(JournalLayout.HEAD_ID, ifMatch(head.get().etag()));
            CosmosBatchResponse response = execute(batch, "deletion", key, 0);
            int status = status(response, 0);
            if (!response.isSuccessStatusCode() && status == 412) {
                return false; // changed since: not idle after all
            }
            if (!response.isSuccessStatusCode() && status != 404) {
                throw failed(response, "deletion", key, 0);
            }
            deleted = response.isSuccessStatusCode();
        } else if (expectedVersion != ANY_VERSION) {
            return false;
        }
        SqlQuerySpec turns = new SqlQuerySpec("SELECT c.id FROM c WHERE c.type = @type",
                new SqlParameter("@type", JournalLayout.TYPE_TURN));
        CosmosQueryRequestOptions options = new CosmosQueryRequestOptions().setPartitionKey(partition);
        List<String> ids = new ArrayList<>();
        queryAll(turns, options, "listing the turns of conversation '" + key + "' to delete them")
                .forEach(document -> ids.add(document.path("id").asText()));
        for (int from = 0; from < ids.size(); from += 100) {
            CosmosBatch batch = CosmosBatch.createCosmosBatch(partition);
            ids.subList(from, Math.min(ids.size(), from + 100)).forEach(id -> batch.deleteItemOperation(id));
            CosmosBatchResponse response = execute(batch, "deletion of turns", key, 0);
            if (!response.isSuccessStatusCode()) {
                throw failed(response, "deletion of turns", key, 0);
            }
        }
        cache.remove(key);
        return deleted;
    }

    @Override
    public Optional<Tombstone> tombstone(String conversationKey) {
        Objects.requireNonNull(conversationKey, "conversationKey");
        ensureOpen();
        try {
            CosmosItemResponse<ObjectNode> response =
                    store.read(JournalLayout.TOMBSTONE_ID, partitions.keyDocuments(conversationKey));
            return Optional.of(JournalDocuments.tombstone(response.getItem()));
        } catch (CosmosException e) {
            if (e.getStatusCode() == 404) {
                return Optional.empty();
            }
            throw storeFailure(e, "reading the tombstone of conversation '" + conversationKey + "'");
        }
    }

    /** Upserts the tombstone document ({@code ttl: -1}: a retention time to live never expires it). */
    @Override
    public void putTombstone(Tombstone tombstone) {
        Objects.requireNonNull(tombstone, "tombstone");
        ensureOpen();
        String key = tombstone.conversationKey();
        CosmosBatch batch = CosmosBatch.createCosmosBatch(partitions.keyDocuments(key));
        batch.upsertItemOperation(partitions.placeTombstone(JournalDocuments.tombstoneDocument(tombstone)));
        CosmosBatchResponse response = execute(batch, "tombstone", key, 0);
        if (!response.isSuccessStatusCode()) {
            throw failed(response, "tombstone", key, 0);
        }
    }

    /** A cross-partition query; sorted by conversation key. */
    @Override
    public List<Tombstone> pendingTombstones() {
        ensureOpen();
        SqlQuerySpec query = new SqlQuerySpec("SELECT * FROM c WHERE c.type = @type AND c.pending > 0",
                new SqlParameter("@type", JournalLayout.TYPE_TOMBSTONE));
        List<Tombstone> pending = new ArrayList<>();
        queryAll(query, new CosmosQueryRequestOptions(), "listing pending tombstones")
                .forEach(document -> pending.add(JournalDocuments.tombstone(document)));
        pending.sort(Comparator.comparing(Tombstone::conversationKey));
        return pending;
    }

    /** How this journal's container is partitioned. */
    public CosmosPartitioning partitioning() {
        return partitions.partitioning();
    }

    /**
     * Work leases as documents in the journal container, one logical partition per scope
     * ({@link dev.continuity.cosmos.internal.CosmosWorkLeases}): every instance using the container shares them.
     */
    @Override
    public dev.continuity.journal.WorkLeases workLeases() {
        ensureOpen();
        return workLeases;
    }

    /**
     * The requests this journal has made so far and the request units charged for them. In the steady
     * state an append, a commit and a discard each cost one request (one transactional batch).
     */
    public CosmosRequestStats requestStats() {
        return new CosmosRequestStats(store.meter().requests(), store.meter().requestCharge());
    }

    /** Marks the journal closed (later calls fail); the Cosmos DB client stays open: it is the caller's. */
    @Override
    public void close() {
        closed = true;
    }

    // ------------------------------------------------------------------------------------------ helpers

    /** Every document {@code query} finds (all pages), or a {@link JournalException} saying what failed. */
    private List<ObjectNode> queryAll(SqlQuerySpec query, CosmosQueryRequestOptions options, String what) {
        List<ObjectNode> documents = new ArrayList<>();
        try {
            for (FeedResponse<ObjectNode> page : store.query(query, options, READ_PAGE_SIZE)) {
                documents.addAll(page.getResults());
            }
        } catch (CosmosException e) {
            throw storeFailure(e, what);
        }
        return documents;
    }

    private Optional<StoredHead> readHead(String key) {
        PartitionKey partition = partitionOrNull(key);
        if (partition == null) {
            return Optional.empty();
        }
        try {
            CosmosItemResponse<ObjectNode> response = store.read(JournalLayout.HEAD_ID, partition);
            return Optional.of(JournalDocuments.head(response.getItem(), response.getETag()));
        } catch (CosmosException e) {
            if (e.getStatusCode() == 404) {
                return Optional.empty();
            }
            throw storeFailure(e, "reading the head of conversation '" + key + "'");
        }
    }

    private Optional<StoredTurn> readTurn(String key, long sequence) {
        PartitionKey partition = partitionOrNull(key);
        if (partition == null) {
            return Optional.empty();
        }
        try {
            CosmosItemResponse<ObjectNode> response = store.read(JournalLayout.turnId(sequence), partition);
            return Optional.of(new StoredTurn(JournalDocuments.turn(response.getItem()), response.getETag()));
        } catch (CosmosException e) {
            if (e.getStatusCode() == 404) {
                return Optional.empty();
            }
            throw storeFailure(e, "reading turn " + sequence + " of conversation '" + key + "'");
        }
    }

    /**
     * Turn {@code sequence} as a write that depends on its status must see it (an append of the next turn,
     * a head change moving a cursor onto it): the cached last turn when it is that turn and committed (a
     * committed turn never changes), else a point read; null when absent. The write's batch is guarded by
     * the head's etag, and every write of a turn changes the head, so the turn cannot change between this
     * read and the batch without the batch failing.
     */
    private Turn previousTurn(String key, long sequence) {
        ConversationCache.Entry cached = cache.get(key);
        if (cached != null && cached.lastTurn() != null && cached.lastTurn().turn().sequence() == sequence
                && cached.lastTurn().turn().status() == TurnStatus.COMMITTED) {
            return cached.lastTurn().turn();
        }
        return readTurn(key, sequence).map(StoredTurn::turn).orElse(null);
    }

    /** The partition of the conversation whose head is {@code head} (the head names its tenant). */
    private PartitionKey partitionOf(StoredHead head) {
        return partitions.conversation(head.head().tenant(), head.head().conversationKey());
    }

    /**
     * The partition of conversation {@code key}'s head and turns, or null when the key is hierarchical and no tenant
     * holds {@code key} (no conversation, nor anything of one, is stored under it). Under a hierarchical key this is
     * where an operation that names only the conversation key learns its tenant: from the key's key document, one
     * point read the first time this journal meets the key, then from the cache (a key's tenant never changes).
     */
    private PartitionKey partitionOrNull(String key) {
        if (!partitions.hierarchical()) {
            return partitions.conversation(null, key);
        }
        String tenant = cache.tenantOf(key);
        if (tenant == null) {
            tenant = keyHolder(key);
            if (tenant == null) {
                return null;
            }
            cache.putTenant(key, tenant);
        }
        return partitions.conversation(tenant, key);
    }

    /** The tenant conversation key {@code key}'s key document names, or null when there is none (one point read). */
    private String keyHolder(String key) {
        try {
            return JournalPartitions.heldBy(store.read(JournalLayout.KEY_ID, partitions.keyDocuments(key)).getItem());
        } catch (CosmosException e) {
            if (e.getStatusCode() == 404) {
                return null;
            }
            throw storeFailure(e, "reading the key document of conversation '" + key + "'");
        }
    }

    /**
     * Makes {@code tenant} the holder of conversation key {@code key} (hierarchical keys only): creates the key's key
     * document unless this journal knows the holder already (one request), or reads the one that exists (a second).
     * Conversation keys stay unique across the journal, as under the single-path key, where the key is the
     * partition: the key document is what two tenants creating one key race for, and Cosmos DB lets one create win.
     *
     * @return whether {@code tenant} holds the key (false: another tenant does; its name is not for the caller)
     */
    private boolean holdKey(String key, String tenant) {
        String holder = cache.tenantOf(key);
        if (holder == null) {
            try {
                store.create(JournalPartitions.keyDocument(key, tenant), partitions.keyDocuments(key));
                holder = tenant;
            } catch (CosmosException e) {
                if (e.getStatusCode() != 409) {
                    throw storeFailure(e, "creating the key document of conversation '" + key + "' for tenant '"
                            + tenant + "'");
                }
                holder = keyHolder(key);
                if (holder == null) {
                    throw new JournalException("the key document of conversation '" + key + "' in " + store.describe()
                            + " was there (409) and then was not: deleted outside the journal");
                }
            }
            cache.putTenant(key, holder);
        }
        if (!holder.equals(tenant)) {
            LOG.debug("conversation key '{}' is held by a tenant other than '{}'", key, tenant);
            return false;
        }
        return true;
    }

    private static TurnStatus statusOf(Turn turn) {
        return turn == null ? null : turn.status();
    }

    private ConversationHead advanced(ConversationHead head, long sequence) {
        return head.with(Math.max(head.lastSequence(), sequence), head.createdAt(),
                TurnWriteRules.later(head.lastActivityAt(), clock.instant()), head.regions(), head.version() + 1);
    }

    /** {@code document} with its time to live ({@link Builder#retention}), when the journal has a retention. */
    private ObjectNode timed(ObjectNode document) {
        if (retention != null) {
            document.put("ttl", JournalLayout.documentTimeToLive(retention));
        }
        return document;
    }

    /**
     * Keeps a live conversation whole under a time to live: before a write moves the conversation's last activity
     * into a new refresh period ({@link JournalLayout#refreshPeriod}, counted from its creation), every turn
     * document is written again (its {@code ttl} set, which restarts its clock). Every document of a conversation
     * then expires at least the retention period after its last activity, and at most a refresh period later:
     * Cosmos DB never removes a prefix of a conversation still in use. Each replace is guarded by the document's
     * etag (a turn changed meanwhile was just written, which restarted its clock anyway).
     */
    private boolean refreshTimeToLive(ConversationHead before, ConversationHead after) {
        if (retention == null) {
            return false;
        }
        long period = JournalLayout.refreshPeriod(retention).toMillis();
        long was = Math.floorDiv(before.lastActivityAt().toEpochMilli() - before.createdAt().toEpochMilli(), period);
        long now = Math.floorDiv(after.lastActivityAt().toEpochMilli() - after.createdAt().toEpochMilli(), period);
        if (now <= was || before.lastSequence() == 0) {
            return false;
        }
        String key = after.conversationKey();
        SqlQuerySpec query = new SqlQuerySpec("SELECT * FROM c WHERE c.type = @type",
                new SqlParameter("@type", JournalLayout.TYPE_TURN));
        PartitionKey partition = partitions.conversation(after.tenant(), key);
        CosmosQueryRequestOptions options = new CosmosQueryRequestOptions().setPartitionKey(partition);
        List<ObjectNode> turns = queryAll(query, options,
                "reading the turns of conversation '" + key + "' to renew their time to live");
        int ttl = JournalLayout.documentTimeToLive(retention);
        for (ObjectNode turn : turns) {
            String etag = turn.path("_etag").asText(null);
            CosmosBatch batch = CosmosBatch.createCosmosBatch(partition);
            ObjectNode renewed = turn.deepCopy();
            renewed.remove(List.of("_rid", "_self", "_etag", "_attachments", "_ts", "_lsn"));
            renewed.put("ttl", ttl);
            batch.replaceItemOperation(turn.path("id").asText(), renewed,
                    etag == null ? new CosmosBatchItemRequestOptions() : ifMatch(etag));
            CosmosBatchResponse response = execute(batch, "renewing the time to live", key, 0);
            int status = status(response, 0);
            if (!response.isSuccessStatusCode() && status != 412 && status != 404) {
                throw failed(response, "renewing the time to live", key, 0);
            }
        }
        cache.remove(key); // cached turn etags changed
        LOG.debug("conversation '{}': renewed the time to live of {} turn documents", key, turns.size());
        return true;
    }

    private CosmosBatchResponse execute(CosmosBatch batch, String operation, String key, long sequence) {
        try {
            return store.execute(batch);
        } catch (CosmosException e) {
            throw storeFailure(e, operation + describeTurn(key, sequence));
        }
    }

    private static CosmosBatchItemRequestOptions ifMatch(String etag) {
        return new CosmosBatchItemRequestOptions().setIfMatchETag(etag);
    }

    private static int status(CosmosBatchResponse response, int operation) {
        List<CosmosBatchOperationResult> results = response.getResults();
        return operation < results.size() ? results.get(operation).getStatusCode() : response.getStatusCode();
    }

    private void requireFits(ObjectNode document, String key, long sequence) {
        int bytes = document.toString().getBytes(StandardCharsets.UTF_8).length;
        if (bytes > JournalLayout.MAX_ITEM_BYTES - BATCH_OVERHEAD_BYTES) {
            throw new JournalException("turn " + sequence + " of conversation '" + key + "' is " + bytes
                    + " bytes as a Cosmos DB document; with the head it must fit one transactional batch of 2 MB "
                    + "(at most " + (JournalLayout.MAX_ITEM_BYTES - BATCH_OVERHEAD_BYTES) + " bytes per turn)");
        }
    }

    private JournalException failed(CosmosBatchResponse response, String operation, String key, long sequence) {
        return new JournalException(operation + describeTurn(key, sequence) + " in " + store.describe()
                + " failed: batch status " + response.getStatusCode() + " (substatus " + response.getSubStatusCode()
                + "), operation statuses " + response.getResults().stream()
                        .map(CosmosBatchOperationResult::getStatusCode).toList()
                + (response.getErrorMessage() == null ? "" : ": " + response.getErrorMessage()));
    }

    private JournalException busy(String operation, String key, long sequence) {
        return new JournalException(operation + describeTurn(key, sequence) + " in " + store.describe()
                + " gave up after " + MAX_ATTEMPTS + " attempts: other writers kept changing the conversation");
    }

    private JournalException storeFailure(CosmosException e, String what) {
        return new JournalException(what + " in " + store.describe() + " failed: status " + e.getStatusCode()
                + " (substatus " + e.getSubStatusCode() + "): " + firstLine(e.getMessage()), e);
    }

    private static String describeTurn(String key, long sequence) {
        return sequence > 0 ? " of turn " + sequence + " of conversation '" + key + "'" : " of conversation '" + key + "'";
    }

    private static String firstLine(String message) {
        return dev.continuity.ErrorSummary.firstLineOf(message);
    }

    private void ensureOpen() {
        if (closed) {
            throw new JournalException("Cosmos DB journal on " + store.describe() + " is closed");
        }
    }

    /**
     * Builds a {@link CosmosTurnJournal}: a client (synchronous or asynchronous), a database and a
     * container are required.
     */
    public static final class Builder {
        private CosmosClient client;
        private CosmosAsyncClient asyncClient;
        private String database;
        private String container;
        private Clock clock = Clock.systemUTC();
        private int cachedConversations = 10_000;
        private boolean verifyContainer = true;
        private Duration retention;
        private CosmosPartitioning partitioning = CosmosPartitioning.CONVERSATION;

        private Builder() {
        }

        /**
         * A retention period enforced by Cosmos DB itself: every head and turn document carries a time to live
         * ({@code ttl}) of the period plus a quarter, and a live conversation's turn documents get it renewed once
         * per quarter of the period, so Cosmos DB removes a conversation whole between the period and 1.25 times the
         * period after its last activity, never a prefix of one still in use. Tombstones never expire. Needs a
         * container with time to live on ({@code CosmosJournalProvisioner.retention(...)}); default: none.
         */
        public Builder retention(Duration retention) {
            if (retention != null && (retention.isNegative() || retention.toMinutes() < 4
                    || retention.toSeconds() > Integer.MAX_VALUE / 2)) {
                throw new IllegalArgumentException("retention must be between 4 minutes and " + Integer.MAX_VALUE / 2
                        + " s, was " + retention);
            }
            this.retention = retention;
            return this;
        }

        /**
         * How the container is partitioned (default {@link CosmosPartitioning#CONVERSATION}); it must be what the
         * container was created with ({@link CosmosJournalProvisioner#partitioning}), which {@link #build()} checks.
         * With {@link CosmosPartitioning#HIERARCHICAL} every point read, write, batch and partition-scoped query
         * names the conversation's tenant and key; an operation that names only the key learns the tenant from
         * the key's key document (one point read the first time this journal meets the key, then cached), and
         * creating a conversation writes that document first (one more request per new conversation).
         */
        public Builder partitioning(CosmosPartitioning partitioning) {
            this.partitioning = Objects.requireNonNull(partitioning, "partitioning");
            return this;
        }

        /** The synchronous client to use (not closed by the journal). */
        public Builder client(CosmosClient client) {
            this.client = Objects.requireNonNull(client, "client");
            this.asyncClient = null;
            return this;
        }

        /** The asynchronous client to use (not closed by the journal). */
        public Builder client(CosmosAsyncClient client) {
            this.asyncClient = Objects.requireNonNull(client, "client");
            this.client = null;
            return this;
        }

        /** The database's name. */
        public Builder database(String database) {
            this.database = database;
            return this;
        }

        /** The container's name. */
        public Builder container(String container) {
            this.container = container;
            return this;
        }

        /** The clock that stamps {@link ConversationHead#lastActivityAt()} on writes (default: system UTC). */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /**
         * How many conversations' head etags to remember (default 10,000; 0 disables the cache, making
         * every write cost a head read plus the batch).
         */
        public Builder cachedConversations(int cachedConversations) {
            if (cachedConversations < 0) {
                throw new IllegalArgumentException("cachedConversations must be >= 0, was " + cachedConversations);
            }
            this.cachedConversations = cachedConversations;
            return this;
        }

        /**
         * Whether {@link #build()} reads the container to check that it exists and is partitioned as
         * {@link #partitioning} says (default true; one request).
         */
        public Builder verifyContainer(boolean verifyContainer) {
            this.verifyContainer = verifyContainer;
            return this;
        }

        /**
         * The journal.
         *
         * @throws IllegalStateException if the client, database or container is missing
         * @throws JournalContainerMismatchException if the container's partition key paths are not
         *     {@link #partitioning}'s
         * @throws JournalException if the container does not exist or cannot be read
         */
        public CosmosTurnJournal build() {
            if (client == null && asyncClient == null) {
                throw new IllegalStateException("CosmosTurnJournal.builder(): client(...) is required");
            }
            requireName(database, "database");
            requireName(container, "container");
            ContainerGateway gateway = client != null
                    ? new SyncContainerGateway(client.getDatabase(database).getContainer(container), database)
                    : new AsyncContainerGateway(asyncClient.getDatabase(database).getContainer(container), database);
            if (verifyContainer) {
                try {
                    com.azure.cosmos.models.CosmosContainerProperties properties = gateway.properties();
                    LayoutCheck.requireJournalPartitionKey(database, properties, partitioning);
                    if (retention != null && properties.getDefaultTimeToLiveInSeconds() == null) {
                        throw new JournalException(gateway.describe() + " has time to live off, so the retention "
                                + "of " + retention + " would never remove anything: provision it with "
                                + "CosmosJournalProvisioner.retention(...), or turn time to live on (default -1)");
                    }
                } catch (CosmosException e) {
                    if (e.getStatusCode() == 404) {
                        throw new JournalException(gateway.describe() + " does not exist: create it with "
                                + "CosmosJournalProvisioner", e);
                    }
                    throw new JournalException("cannot read " + gateway.describe() + ": status " + e.getStatusCode()
                            + ": " + firstLine(e.getMessage()), e);
                }
            }
            return new CosmosTurnJournal(gateway, partitioning, clock, cachedConversations, retention);
        }

        private static void requireName(String value, String what) {
            if (value == null || value.isBlank()) {
                throw new IllegalStateException("CosmosTurnJournal.builder(): " + what + "(...) is required");
            }
        }
    }
}
