package dev.continuity.replay;

import dev.continuity.agentservice.AgentService;
import dev.continuity.agentservice.AgentServiceException;
import dev.continuity.journal.RegionCursor;
import dev.continuity.journal.TurnItem;
import dev.continuity.journal.TurnJournal;
import dev.continuity.rehydrate.Rehydrator;
import dev.continuity.replay.internal.Alignment;
import dev.continuity.replay.internal.ItemFingerprint;
import dev.continuity.replay.internal.ItemReplayPolicy;
import dev.continuity.replay.internal.ReplayRun;
import dev.continuity.replay.internal.ServiceRetry;
import dev.continuity.replay.internal.TracedReplay;
import dev.continuity.telemetry.ContinuityTelemetry;
import java.util.Objects;

/**
 * The replay engine: brings a region's copy of a journaled conversation up to date with the journal's
 * committed turns. Used by the {@link Rehydrator} (eager and incremental rehydration, failback) and by
 * the journaling client (lazy replay on first use, {@code ContinuityClient.Builder.catchUp(replayer::catchUpCursor)}).
 *
 * <p>Rules:
 * <ul>
 *   <li>Replays committed turns only, from the region's cursor on, stopping at the first pending turn;
 *       items in journal order (each turn's input, then its output), {@code reasoning} items dropped
 *       (they do not survive replay), server ids already stripped by {@code TurnItem}.</li>
 *   <li>At most 20 items per call; when the region has no copy the create-conversation call carries the
 *       first chunk (so {@code k} items take {@code max(1, ceil(k/20))} calls). A {@code function_call}
 *       and its {@code function_call_output} never go into different calls when both are replayed.</li>
 *   <li>The created conversation's metadata names its source: {@code continuity-key} (the key, or
 *       {@code sha256:<hex>} of it beyond 512 characters), {@code continuity-through},
 *       {@code continuity-agent}, {@code continuity-source=replay}.</li>
 *   <li>The head is read once per replay (with the history); the region's cursor is recorded in it by
 *       compare-and-set against that head (re-read and retried when only the head's version moved), to the
 *       last turn whose items are all in the region: once, after the replay's last call, and in a longer
 *       replay also after every 10 calls. A crash leaves the items of at most that many calls beyond the recorded cursor, of which only
 *       the last call's is uncertain; the next replay lists the regional copy and aligns it with the journal
 *       (below) before writing, so none is written twice. A copy this replay created and had not recorded yet
 *       is referenced by nothing: its metadata names the key, and the orphans phase deletes it.</li>
 *   <li>Resuming into an existing regional conversation first lists its items and aligns them with the
 *       journal (count and content): items an interrupted replay, or a turn served natively in the
 *       region, already put there are not written again. After an ambiguous failure (5xx, lost
 *       connection) the same alignment decides what landed before the rest is written. No item is ever
 *       written twice into the conversation the cursor references.</li>
 *   <li>A regional conversation that is gone (404) or holds items the journal cannot explain is
 *       replaced by a fresh one built from the journal ({@link DivergencePolicy#RECREATE}, default) or
 *       reported ({@link DivergencePolicy#FAIL}).</li>
 *   <li>Retries (resilience4j): throttling, 5xx and unreachable, with exponential backoff and jitter,
 *       honouring retry-after; never a 4xx.</li>
 *   <li>One replay at a time per (region, conversation) in this JVM, whichever replayer instance runs
 *       it; replays of different conversations run in parallel.</li>
 * </ul>
 *
 * <p>Not guaranteed: a create-conversation call whose answer is lost (or a crash between it and the
 * cursor's first record) leaves a regional conversation nobody references, counted as
 * {@link ReplayOutcome#possibleOrphans()}; its metadata names the key, so a later rehydration's orphans
 * phase finds it through the region's list of conversations and deletes it. Two processes replaying the same conversation
 * into the same region at once can interleave writes; the cursor CAS detects it and the next replay
 * recreates the conversation from the journal.
 */
public final class ConversationReplayer {

    private final TurnJournal journal;
    private final ReplayOptions options;
    private final ServiceRetry retry;
    /** {@link #retry} without retrying calls that got no answer: a turn's catch-up ({@link #catchUpForTurn}). */
    private final ServiceRetry turnRetry;
    private final ContinuityTelemetry telemetry;

    /** A replayer over {@code journal} with {@code options}. */
    public ConversationReplayer(TurnJournal journal, ReplayOptions options) {
        this(journal, options, ContinuityTelemetry.NONE);
    }

    /**
     * A replayer over {@code journal} with {@code options} that tells {@code telemetry} of every replay (an
     * activity per {@link #catchUp}, with what it did) and every retry.
     */
    public ConversationReplayer(TurnJournal journal, ReplayOptions options, ContinuityTelemetry telemetry) {
        this.journal = Objects.requireNonNull(journal, "journal");
        this.options = Objects.requireNonNull(options, "options");
        this.telemetry = Objects.requireNonNull(telemetry, "telemetry");
        this.retry = new ServiceRetry("continuity-replay", options.retry(), telemetry);
        this.turnRetry = new ServiceRetry("continuity-replay-turn", options.retry(), telemetry, false);
    }

    /** A replayer with {@link ReplayOptions#defaults()}. */
    public ConversationReplayer(TurnJournal journal) {
        this(journal, ReplayOptions.defaults());
    }

    /**
     * Brings {@code target}'s copy of {@code conversationKey} up to date with the journal's committed
     * turns, creating it when the head has no cursor for that region.
     *
     * @return what was done (calls, items, the resulting cursor)
     * @throws ReplayException when it could not finish; {@link ReplayException#progress()} tells how far
     *     it got (the calls that succeeded are recorded before it is thrown, unless the journal is what
     *     failed), so calling again continues from there
     */
    public ReplayOutcome catchUp(AgentService target, String conversationKey) {
        return catchUp(target, conversationKey, retry);
    }

    /**
     * {@link #catchUp} for a turn about to be sent to {@code target} (the journaling client's lazy catch-up): the
     * same, except that a call that gets no answer (connection refused or reset, a time-out) is not retried here but
     * thrown at once, so that the client reports the region to its failover at once and sends the turn where
     * traffic moves, or runs this catch-up again under its own retry if the region answers its probes, instead of
     * waiting out this replay's retries against a region that went dark. Calling again is safe: the next run lists
     * the regional copy before writing, as after any failure. Throttling and error statuses are retried as by
     * {@link #catchUp}.
     *
     * @return what was done
     * @throws ReplayException as {@link #catchUp}; for a call that got no answer, its cause is that call's
     *     {@link AgentServiceException}
     */
    public ReplayOutcome catchUpForTurn(AgentService target, String conversationKey) {
        return catchUp(target, conversationKey, turnRetry);
    }

    private ReplayOutcome catchUp(AgentService target, String conversationKey, ServiceRetry retry) {
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(conversationKey, "conversationKey");
        return TracedReplay.run(telemetry, target.region(), conversationKey,
                () -> ReplayRun.locked(journal, options, retry, target, conversationKey, null));
    }

    /** The telemetry this replayer tells of its replays. */
    public ContinuityTelemetry telemetry() {
        return telemetry;
    }

    /**
     * {@link #catchUpForTurn} returning only the resulting cursor: the shape of the journaling client's
     * {@code RegionCatchUp} ({@code builder.catchUp(replayer::catchUpCursor)}).
     */
    public RegionCursor catchUpCursor(AgentService target, String conversationKey) {
        return catchUpForTurn(target, conversationKey).cursor();
    }

    /**
     * The items of {@code items} (a conversation's items in order: the journal's, or a region's listing)
     * that replay writes into a region under its policy (docs/guarantees.md "Replay of each item type"), in
     * the form it writes them (without fields the type's input schema does not declare):
     * without {@code reasoning}, types that are no input item, items lacking a field the specification
     * requires, and MCP approval requests and responses whose partner is not in {@code items}. Comparing
     * this selection of the journal's items with the same selection of a region's items tells whether the
     * region holds the conversation, whether it was served natively or filled by replay.
     */
    public static java.util.List<TurnItem> replayedItems(java.util.List<TurnItem> items) {
        java.util.List<TurnItem> replayed = new java.util.ArrayList<>(items.size());
        for (TurnItem form : ItemReplayPolicy.replayedInputForms(items)) {
            if (form != null) {
                replayed.add(form);
            }
        }
        return replayed;
    }

    /**
     * Why a region's copy of a conversation ({@code regionItems}, as listed) does not hold exactly the
     * journal's items ({@code journalItems}, the committed turns the region's cursor covers, in order) as
     * replay writes them, compared like replay and validation compare ({@link #replayedItems} on both sides,
     * items by content; an MCP approval pair that an earlier replay cut and left out may be missing as a
     * whole); empty when it does.
     */
    public static java.util.Optional<String> divergence(java.util.List<TurnItem> journalItems,
            java.util.List<TurnItem> regionItems) {
        java.util.List<String> journal = replayedItems(journalItems).stream().map(ItemFingerprint::of).toList();
        java.util.List<String> region = replayedItems(regionItems).stream().map(ItemFingerprint::of).toList();
        Alignment alignment = Alignment.of(region, journal, java.util.List.of());
        if (!alignment.consistent()) {
            return java.util.Optional.of(alignment.problem());
        }
        return alignment.trailing() > 0
                ? java.util.Optional.of("it holds " + alignment.trailing() + " items more than the journal")
                : java.util.Optional.empty();
    }

    /** The journal replayed from. */
    public TurnJournal journal() {
        return journal;
    }

    /** The options in use. */
    public ReplayOptions options() {
        return options;
    }
}
