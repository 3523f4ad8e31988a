package dev.continuity.replay.internal;

import dev.continuity.RetrySettings;
import dev.continuity.agentservice.AgentService;
import dev.continuity.agentservice.AgentServiceException;
import dev.continuity.agentservice.StoredItem;
import dev.continuity.journal.ConversationHead;
import dev.continuity.journal.JournalException;
import dev.continuity.journal.RegionCursor;
import dev.continuity.journal.Tombstone;
import dev.continuity.journal.Turn;
import dev.continuity.journal.TurnItem;
import dev.continuity.journal.TurnJournal;
import dev.continuity.replay.ConversationReplayer;
import dev.continuity.replay.DivergencePolicy;
import dev.continuity.replay.FailureReason;
import dev.continuity.replay.ReplayException;
import dev.continuity.replay.ReplayOptions;
import dev.continuity.replay.ReplayOutcome;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Objects;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One catch-up of one conversation in one region (see {@link ConversationReplayer} for the rules).
 * Single use, single thread; the caller holds the conversation's {@link ReplayLocks replay lock}.
 */
public final class ReplayRun {

    /** Conversation metadata key naming the journal conversation. */
    public static final String KEY_METADATA = "continuity-key";
    /** Conversation metadata key with the last journal sequence the creating replay aimed for. */
    public static final String THROUGH_METADATA = "continuity-through";
    /** Conversation metadata key with the conversation's agent. */
    public static final String AGENT_METADATA = "continuity-agent";
    /** Conversation metadata key saying who created the conversation. */
    public static final String SOURCE_METADATA = "continuity-source";
    /** Metadata values are at most this long (the service's limit). */
    public static final int METADATA_VALUE_MAX = 512;

    /**
     * Calls a run makes at most between two cursor records: the cursor is recorded once, after the run's
     * last call, and in a longer run also after every this many calls, so that a crash redoes at most this
     * many calls (the last of them the one uncertain call).
     */
    public static final int CALLS_PER_CURSOR_RECORD = 10;

    /**
     * The waits between a cursor record's compare-and-sets after the second lost one (2 ms doubling to 100 ms,
     * with jitter): the conversation's writers moved the head meanwhile, and a writer that fell behind commits
     * its turns back to back, so retrying at once can lose every attempt. The 16 attempts of
     * {@link ReplayOptions#defaults()} wait about 0.5-0.9 s in all.
     */
    static final RetrySettings HEAD_CONTENTION = RetrySettings.defaults()
            .withBackoff(Duration.ofMillis(2), Duration.ofMillis(100));

    private static final Logger LOG = LoggerFactory.getLogger(ConversationReplayer.class);

    private final TurnJournal journal;
    private final ReplayOptions options;
    private final ServiceRetry retry;
    private final AgentService target;
    private final String region;
    private final String key;
    private final GiveUpGuard guard;

    /** What the region holds as far as this run knows (ahead of {@link #recorded} between records). */
    private RegionCursor cursor;
    /** The cursor as last read from or recorded in the head ({@code null}: none). */
    private RegionCursor recorded;
    /** The head as last read or stored: the first compare-and-set of a record uses it, no re-read. */
    private ConversationHead head;
    /** Successful write calls since the cursor was last recorded. */
    private int unrecordedCalls;
    private String agentName;
    private boolean created;
    /** The regional conversation this run created or took over ({@code null}: none), until it is recorded. */
    private String ownCopy;
    /** The cursor {@link #ownCopy} replaces ({@code null}: none). */
    private RegionCursor ownCopyReplaces;
    /** Between taking over an {@link UnrecordedCopies unrecorded copy} and checking what it holds. */
    private boolean adopting;
    private boolean recreated;
    private long fromSequence = 1;
    private long throughSequence;
    private int turnsReplayed;
    private int itemsWritten;
    private final Map<String, Integer> itemsByType = new java.util.TreeMap<>();
    private int itemsFoundPresent;
    private int itemsDropped;
    private int writeCalls;
    private int readCalls;
    private int retries;
    private int minimalWriteCalls;
    private int possibleOrphans;

    /** A run for {@code conversationKey} into {@code target}. */
    public ReplayRun(TurnJournal journal, ReplayOptions options, ServiceRetry retry, AgentService target,
            String conversationKey) {
        this(journal, options, retry, target, conversationKey, null);
    }

    /**
     * A run for {@code conversationKey} into {@code target} that consults {@code guard} (may be {@code null})
     * before every call and tells it how each call went.
     */
    public ReplayRun(TurnJournal journal, ReplayOptions options, ServiceRetry retry, AgentService target,
            String conversationKey, GiveUpGuard guard) {
        this.guard = guard;
        this.journal = journal;
        this.options = options;
        this.retry = retry;
        this.target = target;
        this.region = target.region();
        this.key = conversationKey;
    }

    /**
     * Runs a catch-up of {@code conversationKey} holding its {@link ReplayLocks replay lock} (waits for
     * another replay of it in this JVM to finish first); {@code guard} may be {@code null}.
     */
    public static ReplayOutcome locked(TurnJournal journal, ReplayOptions options, ServiceRetry retry,
            AgentService target, String conversationKey, GiveUpGuard guard) {
        try (ReplayLocks.Held held = lock(target, conversationKey)) {
            return new ReplayRun(journal, options, retry, target, conversationKey, guard).run();
        }
    }

    /**
     * Runs the catch-up: every call, then the cursor's record. When it fails after creating a regional
     * conversation it could not record, the next run into the same service takes that conversation over
     * ({@link UnrecordedCopies}).
     */
    public ReplayOutcome run() {
        try {
            return guarded(() -> {
                write();
                return recordAndFinish();
            });
        } catch (ReplayException e) {
            if (ownCopy != null && (recorded == null || !ownCopy.equals(recorded.conversationId()))) {
                UnrecordedCopies.remember(target, key, ownCopy, ownCopyReplaces);
            }
            throw e;
        }
    }

    private static ReplayLocks.Held lock(AgentService target, String conversationKey) {
        try {
            return ReplayLocks.acquire(target.region(), conversationKey);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ReplayException(FailureReason.INTERRUPTED, "replay of conversation '" + conversationKey
                    + "' into " + target.region() + " interrupted while waiting for another replay of it",
                    null, e);
        }
    }

    /** Records the cursor; when another replay moved it meanwhile, starts over once. */
    private ReplayOutcome recordAndFinish() {
        try {
            record();
        } catch (CursorTaken taken) {
            // another replayer (another process) moved the cursor: if we had just created a regional
            // conversation it is unreferenced now. Start over from the stored cursor; resuming verifies
            // what the regional conversation holds before writing anything (and recreates it from the
            // journal if the race left it inconsistent).
            if (taken.afterCreate) {
                possibleOrphans++;
            }
            LOG.warn("conversation '{}' in {}: another replay moved the region's cursor to {}; starting over",
                    key, region, taken.current);
            unrecordedCalls = 0;
            write();
            record();
        }
        return outcome();
    }

    /** Runs {@code body}, turning what it throws into a {@link ReplayException} with the progress made. */
    private <T> T guarded(Supplier<T> body) {
        try {
            return body.get();
        } catch (CursorTaken taken) {
            throw failure(FailureReason.CONCURRENT_REPLAY, "the region's cursor was changed by another replay to "
                    + taken.current + " while this one was writing", null);
        } catch (Gone gone) {
            saveProgress();
            throw failure(FailureReason.DIVERGED, gone.getMessage(), null);
        } catch (GiveUpGuard.GaveUpException gaveUp) {
            saveProgress();
            throw failure(FailureReason.GAVE_UP, gaveUp.getMessage(), null);
        } catch (ReplayException e) {
            if (e.reason() != FailureReason.INTERRUPTED && e.reason() != FailureReason.GAVE_UP) {
                throw e; // nothing written since the last record, or the journal is what failed
            }
            saveProgress();
            throw new ReplayException(e.reason(), e.getMessage(), outcome(), e);
        } catch (AgentServiceException e) {
            saveProgress();
            FailureReason reason = Thread.currentThread().isInterrupted()
                    ? FailureReason.INTERRUPTED : FailureReason.of(e.kind());
            throw failure(reason, e.getMessage(), e);
        } catch (JournalException e) {
            // a journal that waits for its write gives up when the thread is interrupted: the replay's interruption,
            // not the journal's failure (a leased chunk tries the conversation again instead of counting it failed)
            FailureReason reason = Thread.currentThread().isInterrupted()
                    ? FailureReason.INTERRUPTED : FailureReason.JOURNAL;
            throw failure(reason, "journal failed: " + e.getMessage(), e);
        } catch (RuntimeException e) {
            throw failure(FailureReason.INTERNAL, e.toString(), e);
        }
    }

    /**
     * After a failure: records the calls that succeeded since the last record, so that calling again continues
     * from there (best effort: when it fails too, the next replay finds them by listing the regional copy).
     * The outcome then reports the cursor as recorded.
     */
    private void saveProgress() {
        if (cursor == null || cursor.equals(recorded)) {
            return;
        }
        try {
            record();
        } catch (RuntimeException e) {
            LOG.debug("conversation '{}' in {}: could not record cursor {} after the failure: {}", key, region,
                    cursor, e.toString());
            cursor = recorded;
        }
    }

    /**
     * Makes every call the catch-up needs; the cursor ({@link #cursor}) is then ahead of {@link #recorded}
     * by what the last {@link #CALLS_PER_CURSOR_RECORD} calls at most wrote.
     */
    private void write() {
        head = journal.head(key).orElseThrow(() -> failure(FailureReason.UNKNOWN_CONVERSATION,
                "the journal has no conversation with this key", null));
        agentName = head.agentName();
        cursor = head.region(region);
        recorded = cursor;
        if (cursor != null && cursor.replayedThrough() >= head.lastSequence()) {
            upToDate();
            return;
        }
        // one read of the whole history, not a read of the turns after the cursor first: a replay is asked for
        // when the region is behind, so that read would find them nearly always (the warm standby's case)
        List<Turn> all = committedHistory();
        if (cursor != null && all.size() <= cursor.replayedThrough()) {
            upToDate(); // only a pending turn after the cursor
            return;
        }
        Optional<String> unrecorded = UnrecordedCopies.take(target, key, cursor);
        if (unrecorded.isPresent()) {
            adopt(all, unrecorded.get());
        } else if (cursor == null) {
            create(all);
        } else {
            resume(all);
        }
    }

    /** Nothing to replay: the cursor covers every committed turn. */
    private void upToDate() {
        fromSequence = cursor.replayedThrough() + 1;
        throughSequence = cursor.replayedThrough();
    }

    /**
     * Every committed turn of the conversation, from a history that keeps the journal's invariants. A
     * history that does not (written before they were enforced, or outside them) is not replayed at all:
     * replaying the committed turns before a pending one and leaving out those after it would report a
     * conversation replayed while acknowledged turns are missing from the region.
     */
    private List<Turn> committedHistory() {
        JournalHistory history = JournalHistory.read(journal, key, head).orElseThrow(() -> failure(
                FailureReason.UNKNOWN_CONVERSATION, "the journal has no conversation with this key", null));
        if (!history.head().equals(head)) {
            head = history.head(); // re-read after a violation that was a moment's view
            agentName = head.agentName();
            cursor = head.region(region);
            recorded = cursor;
        }
        if (!history.valid()) {
            throw failure(FailureReason.INVALID_JOURNAL, "the journal's history of the conversation breaks an "
                    + "invariant, so it is not replayed: " + history.violation(), null);
        }
        return history.committed();
    }

    /**
     * Creates the regional conversation with every committed turn, replacing the cursor's (stale) one. The new
     * conversation's cursor is recorded after its last call (or the {@value #CALLS_PER_CURSOR_RECORD}th):
     * until then nothing references it, and a crash leaves it to the orphans phase, which finds it by its
     * metadata.
     */
    private void create(List<Turn> turns) {
        ReplayPlan plan = ReplayPlan.of(0, turns);
        describe(plan);
        minimalWriteCalls = Math.max(1, plan.leastCalls(0, AgentService.MAX_ITEMS_PER_CALL));
        checkInterrupted();
        int end = plan.nextChunkEnd(0, options.maxItemsPerCall());
        List<TurnItem> first = plan.items(0, end);
        Map<String, String> metadata = metadata(plan.throughSequence());
        String id = call(() -> {
            writeCalls++;
            try {
                return target.createConversation(first, metadata);
            } catch (AgentServiceException e) {
                if (e.ambiguous()) {
                    possibleOrphans++; // the service may have created it; its id is lost (the orphans phase finds it)
                }
                throw e;
            }
        });
        created = true;
        ownCopy = id;
        ownCopyReplaces = recorded;
        written(plan, 0, end);
        LOG.debug("conversation '{}': created {} in {} with {} items", key, id, region, end);
        cursor = new RegionCursor(id, plan.cursorAfter(end));
        unrecordedCalls++;
        fill(plan, end, 0);
    }

    /**
     * Takes over {@code conversationId}, which an earlier run created and could not record: lists it, and writes
     * only the items it lacks, as a resume from an empty cursor (a copy that is gone or does not hold a prefix of
     * the journal's items is left, and the conversation created again).
     */
    private void adopt(List<Turn> all, String conversationId) {
        LOG.info("conversation '{}' in {}: taking over {}, which an earlier replay created and could not record",
                key, region, conversationId);
        ownCopy = conversationId;
        ownCopyReplaces = recorded;
        adopting = true;
        cursor = new RegionCursor(conversationId, 0);
        resume(all);
        adopting = false;
    }

    /** Continues into the existing regional conversation of {@link #cursor}. */
    private void resume(List<Turn> all) {
        long through = cursor.replayedThrough();
        List<Turn> history = all.subList(0, (int) Math.min(through, all.size()));
        List<Turn> rest = all.subList(history.size(), all.size());
        ReplayPlan before = ReplayPlan.of(0, history);
        ReplayPlan plan = ReplayPlan.of(through, rest);
        describe(plan);
        List<String> region;
        try {
            region = listFingerprints(cursor.conversationId());
        } catch (AgentServiceException e) {
            if (e.kind() == AgentServiceException.Kind.NOT_FOUND) {
                diverged(all, "conversation " + cursor.conversationId() + " no longer exists", false);
                return;
            }
            throw e;
        }
        Alignment alignment = Alignment.of(region, before.fingerprints(), plan.fingerprints());
        if (!alignment.consistent()) {
            diverged(all, "conversation " + cursor.conversationId() + ": " + alignment.problem(), true);
            return;
        }
        if (alignment.trailing() > 0) {
            LOG.info("conversation '{}' in {}: {} items after the committed turns belong to a turn not committed"
                    + " yet; left for the client", key, this.region, alignment.trailing());
        }
        int present = alignment.present();
        itemsFoundPresent += present;
        minimalWriteCalls = plan.leastCalls(present, AgentService.MAX_ITEMS_PER_CALL);
        if (present > 0 && plan.cursorAfter(present) > cursor.replayedThrough()) {
            LOG.info("conversation '{}' in {}: {} items of turns after {} were already there (an earlier replay"
                    + " or a native turn); not writing them again", key, this.region, present, through);
            cursor = new RegionCursor(cursor.conversationId(), plan.cursorAfter(present));
        }
        try {
            fill(plan, present, alignment.base());
        } catch (Gone gone) {
            diverged(all, gone.getMessage(), gone.exists);
        }
    }

    /**
     * The regional conversation does not hold what the journal says ({@code exists}: it is still there, and
     * stays unreferenced once another is created).
     */
    private void diverged(List<Turn> all, String problem, boolean exists) {
        if (adopting) {
            adopting = false;
            LOG.warn("conversation '{}' in {}: cannot take over {}: {}; creating the conversation again", key, region,
                    cursor.conversationId(), problem);
            if (exists) {
                possibleOrphans++;
            }
            cursor = null;
            create(all);
            return;
        }
        if (options.divergence() == DivergencePolicy.FAIL || recreated) {
            throw failure(FailureReason.DIVERGED, problem, null);
        }
        LOG.warn("conversation '{}' in {}: {}; recreating it from the journal (the old one stays unreferenced)",
                key, region, problem);
        recreated = true;
        possibleOrphans++;
        cursor = null;
        create(all);
    }

    /** Writes the plan's items from {@code position} on into the cursor's conversation. */
    private void fill(ReplayPlan plan, int position, int base) {
        String id = cursor.conversationId();
        int written = position;
        while (written < plan.size()) {
            checkInterrupted();
            int end = plan.nextChunkEnd(written, options.maxItemsPerCall());
            if (unrecordedCalls >= CALLS_PER_CURSOR_RECORD) {
                record();
            }
            written = writeChunk(id, plan, written, end, base);
            unrecordedCalls++;
            long next = plan.cursorAfter(written);
            if (next > cursor.replayedThrough()) {
                cursor = new RegionCursor(id, next);
            }
        }
        if (plan.throughSequence() > cursor.replayedThrough()) {
            cursor = cursor.advancedTo(plan.throughSequence());
        }
    }

    /**
     * Writes items {@code [from, end)}; after an ambiguous failure lists the conversation and writes only
     * what did not land. Returns how many plan items are in the region afterwards.
     */
    private int writeChunk(String id, ReplayPlan plan, int from, int end, int base) {
        int[] position = {from};
        boolean[] uncertain = {false};
        try {
            call(() -> {
                if (uncertain[0]) {
                    List<String> region = listFingerprints(id);
                    Alignment landed = Alignment.afterWrite(region, base, plan.fingerprints(), position[0], end);
                    if (!landed.consistent()) {
                        throw new Gone("conversation " + id + " after an ambiguous write: " + landed.problem(), true);
                    }
                    if (landed.present() > position[0]) {
                        LOG.info("conversation '{}' in {}: {} items of the failed write had landed; not writing"
                                + " them again", key, this.region, landed.present() - position[0]);
                    }
                    written(plan, position[0], landed.present());
                    position[0] = landed.present();
                    uncertain[0] = false;
                    if (position[0] == end) {
                        return null;
                    }
                }
                writeCalls++;
                try {
                    target.addItems(id, plan.items(position[0], end));
                } catch (AgentServiceException e) {
                    if (e.ambiguous()) {
                        uncertain[0] = true;
                    }
                    throw e;
                }
                written(plan, position[0], end);
                position[0] = end;
                return null;
            });
        } catch (AgentServiceException e) {
            if (e.kind() == AgentServiceException.Kind.NOT_FOUND) {
                throw new Gone("conversation " + id + " no longer exists", false);
            }
            throw e;
        }
        return position[0];
    }

    private List<String> listFingerprints(String conversationId) {
        List<StoredItem> items = call(() -> {
            readCalls++;
            return target.listItems(conversationId);
        });
        return ItemFingerprint.ofVisible(items);
    }

    private <T> T call(java.util.function.Supplier<T> body) {
        int[] attempts = {0};
        try {
            return retry.call(() -> {
                if (attempts[0]++ > 0) {
                    retries++;
                }
                checkInterrupted();
                if (guard == null) {
                    return body.get();
                }
                guard.check();
                T result;
                try {
                    result = body.get();
                } catch (AgentServiceException e) {
                    guard.failed(e);
                    throw e;
                }
                guard.answered();
                return result;
            });
        } finally {
            if (attempts[0] > 1) {
                LOG.debug("conversation '{}' in {}: call needed {} attempts", key, region, attempts[0]);
            }
        }
    }

    /**
     * Records {@code next} as the region's cursor if the stored cursor is still {@code expected}
     * (re-reading the head when only its version moved). A cursor moved forward on the same
     * conversation meanwhile (the client committed a turn there) is accepted.
     */
    private RegionCursor advance(RegionCursor expected, RegionCursor next) {
        RegionCursor base = expected;
        for (int attempt = 0; attempt < options.headUpdateAttempts(); attempt++) {
            ConversationHead head = attempt == 0 && this.head != null ? this.head
                    : journal.head(key).orElseThrow(() -> disappeared(next));
            RegionCursor current = head.region(region);
            if (!Objects.equals(current, base)) {
                boolean sameConversationForward = current != null && base != null
                        && current.conversationId().equals(base.conversationId())
                        && current.conversationId().equals(next.conversationId())
                        && current.replayedThrough() >= base.replayedThrough();
                if (!sameConversationForward) {
                    throw new CursorTaken(current, base == null || !base.conversationId().equals(next.conversationId()));
                }
                if (current.replayedThrough() >= next.replayedThrough()) {
                    this.head = head;
                    return current;
                }
                base = current;
            }
            Optional<ConversationHead> stored = journal.compareAndSetHead(head.withRegion(region, next), head.version());
            if (stored.isPresent()) {
                this.head = stored.get();
                return next;
            }
            this.head = null;
            if (attempt > 0 && attempt + 1 < options.headUpdateAttempts()) {
                pauseAfterLostRecord(attempt, next);
            }
        }
        throw failure(FailureReason.JOURNAL, "could not record cursor " + next + ": the head kept changing ("
                + options.headUpdateAttempts() + " attempts)", null);
    }

    /** Waits {@link #HEAD_CONTENTION}'s delay after {@code lost} lost compare-and-sets of a cursor record. */
    private void pauseAfterLostRecord(int lost, RegionCursor next) {
        try {
            Thread.sleep(HEAD_CONTENTION.delayMillis(lost, -1));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw failure(FailureReason.INTERRUPTED, "interrupted while recording cursor " + next, null);
        }
    }

    /** Records {@link #cursor} in the head (compare-and-set against {@link #recorded}). */
    private void record() {
        RegionCursor stored = advance(recorded, cursor);
        recordedAs(head, stored);
    }

    /** The head now stores {@code stored} as the region's cursor. */
    private void recordedAs(ConversationHead storedHead, RegionCursor stored) {
        head = storedHead;
        recorded = stored;
        cursor = stored;
        unrecordedCalls = 0;
    }

    /** Counts plan items {@code [from, to)} as written, in total and per item type. */
    private void written(ReplayPlan plan, int from, int to) {
        itemsWritten += to - from;
        for (TurnItem item : plan.items(from, to)) {
            itemsByType.merge(item.type(), 1, Integer::sum);
        }
    }

    private void describe(ReplayPlan plan) {
        fromSequence = plan.afterSequence() + 1;
        throughSequence = plan.throughSequence();
        turnsReplayed = plan.turns();
        itemsDropped = plan.dropped();
    }

    private Map<String, String> metadata(long through) {
        Map<String, String> metadata = new LinkedHashMap<>();
        metadata.put(KEY_METADATA, metadataKey(key));
        metadata.put(THROUGH_METADATA, Long.toString(through));
        if (agentName != null) {
            metadata.put(AGENT_METADATA, truncate(agentName));
        }
        metadata.put(SOURCE_METADATA, "replay");
        return metadata;
    }

    /** The key itself when it fits the metadata value limit, else {@code sha256:<hex>} of it. */
    public static String metadataKey(String key) {
        if (key.length() <= METADATA_VALUE_MAX) {
            return key;
        }
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
            return "sha256:" + HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String truncate(String value) {
        return value.length() <= METADATA_VALUE_MAX ? value : value.substring(0, METADATA_VALUE_MAX);
    }

    private void checkInterrupted() {
        if (Thread.currentThread().isInterrupted()) {
            throw failure(FailureReason.INTERRUPTED, "interrupted", null);
        }
    }

    private ReplayOutcome outcome() {
        return new ReplayOutcome(key, region, cursor, created, recreated, fromSequence, throughSequence,
                turnsReplayed, itemsWritten, itemsFoundPresent, itemsDropped, writeCalls, readCalls, retries,
                minimalWriteCalls, possibleOrphans, itemsByType);
    }

    /**
     * The head is gone while replay had written {@code next}: when the conversation was forgotten meanwhile, the
     * copy this run created is deleted at once (or left in the tombstone for the eraser's retry), so a replay
     * never brings a forgotten conversation back.
     */
    private ReplayException disappeared(RegionCursor next) {
        Optional<Tombstone> tombstone = journal.tombstone(key);
        if (tombstone.isEmpty()) {
            return failure(FailureReason.JOURNAL, "the conversation disappeared from the journal during replay", null);
        }
        String copy = next.conversationId();
        String what;
        try {
            target.deleteConversation(copy);
            what = "deleted its copy " + copy + " written meanwhile";
        } catch (AgentServiceException e) {
            Map<String, String> pending = new java.util.TreeMap<>(tombstone.get().pendingRegions());
            pending.put(region, copy);
            journal.putTombstone(new Tombstone(key, tombstone.get().forgottenAt(), pending));
            what = "could not delete its copy " + copy + " written meanwhile (" + e.getMessage()
                    + "); the tombstone keeps it for the eraser's retry";
        }
        LOG.info("conversation '{}' was forgotten during replay into {}: {}", key, region, what);
        return failure(FailureReason.UNKNOWN_CONVERSATION, "the conversation was forgotten during replay; " + what,
                null);
    }

    private ReplayException failure(FailureReason reason, String message, Throwable cause) {
        return new ReplayException(reason, "replay of conversation '" + key + "' into " + region + " failed ("
                + reason + "): " + message, outcome(), cause);
    }

    /** The cursor is no longer what this run based its writes on. */
    private static final class CursorTaken extends RuntimeException {
        private static final long serialVersionUID = 1L;
        final transient RegionCursor current;
        final boolean afterCreate;

        CursorTaken(RegionCursor current, boolean afterCreate) {
            super("cursor taken", null, false, false);
            this.current = current;
            this.afterCreate = afterCreate;
        }
    }

    /** The regional conversation is gone or does not look as the journal says after a write. */
    private static final class Gone extends RuntimeException {
        private static final long serialVersionUID = 1L;
        /** The conversation still exists (it does not look as the journal says). */
        final boolean exists;

        Gone(String message, boolean exists) {
            super(message, null, false, false);
            this.exists = exists;
        }
    }
}
