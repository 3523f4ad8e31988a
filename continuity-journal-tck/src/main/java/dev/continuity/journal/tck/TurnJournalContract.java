package dev.continuity.journal.tck;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.continuity.journal.AppendResult;
import dev.continuity.journal.ConversationForgottenException;
import dev.continuity.journal.ConversationHead;
import dev.continuity.journal.Tombstone;
import dev.continuity.journal.ConversationSummary;
import dev.continuity.journal.JournalException;
import dev.continuity.journal.Page;
import dev.continuity.journal.RegionCursor;
import dev.continuity.journal.TenantScopedJournal;
import dev.continuity.journal.Tenants;
import dev.continuity.journal.TokenUsage;
import dev.continuity.journal.Turn;
import dev.continuity.journal.TurnConflictException;
import dev.continuity.journal.TurnItem;
import dev.continuity.journal.TurnJournal;
import dev.continuity.journal.TurnOutcome;
import dev.continuity.journal.TurnStatus;
import dev.continuity.journal.WorkLease;
import dev.continuity.journal.WorkLeases;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.IntFunction;
import java.util.function.Predicate;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The {@link TurnJournal} contract: every implementation's test extends this class, implements
 * {@link #createJournal()} and (for durable stores) {@link #reopen(TurnJournal)}, and must pass every
 * test unchanged.
 *
 * <p>The suite uses only the {@link TurnJournal} interface. It assumes nothing beyond the interface's
 * Javadoc:
 * <ul>
 *   <li>every test uses conversation keys of its own (a random prefix per test), so a store shared
 *       between tests or runs is fine; listings are filtered to the test's own keys;</li>
 *   <li>{@link TurnJournal#listConversations} and {@link TurnJournal#pendingTurns} may lag behind
 *       writes (a store may list from an index or a cross-partition query): the suite polls them, up
 *       to {@link #listingLag()}, for the state it expects; every other read must see every write
 *       that has returned;</li>
 *   <li>timestamps handed to the journal are whole milliseconds; a store must give them back equal;</li>
 *   <li>pages may hold fewer items than asked for, even when more follow.</li>
 * </ul>
 *
 * <p>A new backend depends on {@code dev.continuity:continuity-journal-tck} in test scope and runs the
 * kit with one class:
 * <pre>{@code
 * class RedisTurnJournalTest extends TurnJournalContract {
 *     @Override
 *     protected TurnJournal createJournal() {
 *         return RedisTurnJournal.open(redisUri());
 *     }
 * }
 * }</pre>
 */
public abstract class TurnJournalContract {

    private static final String AGENT = "support-agent";
    private static final String AGENT_VERSION = "3";
    private static final Instant STARTED = Instant.parse("2025-03-01T10:15:30.123Z");
    private static final Instant COMPLETED = Instant.parse("2025-03-01T10:15:32.456Z");
    private static final long POLL_INTERVAL_NANOS = TimeUnit.MILLISECONDS.toNanos(25);
    private static final int RACERS = 8;

    /** The journal under test; replaced by {@link #reopen(TurnJournal)} in durability tests. */
    protected TurnJournal journal;

    private final String run = UUID.randomUUID().toString().substring(0, 8);

    /** A new journal for one test (an empty store, or a shared one: keys never collide across tests). */
    protected abstract TurnJournal createJournal() throws Exception;

    /**
     * Closes {@code journal} and opens a new instance on the same store, as a restarted process would.
     * The default returns {@code journal} unchanged, for stores that live only in memory.
     */
    protected TurnJournal reopen(TurnJournal journal) throws Exception {
        return journal;
    }

    /** How long listings ({@code listConversations}, {@code pendingTurns}) may lag behind writes. */
    protected Duration listingLag() {
        return Duration.ofSeconds(10);
    }

    @BeforeEach
    void openJournal() throws Exception {
        journal = createJournal();
    }

    @AfterEach
    void closeJournal() {
        if (journal != null) {
            journal.close();
        }
    }

    // ----------------------------------------------------------------------------------------- heads

    @Test
    void creatingAHeadWithExpectedVersionZeroStoresIt() {
        ConversationHead start = ConversationHead.start(key("c"), AGENT, AGENT_VERSION, now());

        ConversationHead stored = journal.compareAndSetHead(start, 0).orElseThrow();

        assertThat(stored.version()).isPositive();
        assertSameHeadFields(stored, start);
        assertThat(journal.head(key("c"))).contains(stored);
    }

    @Test
    void creatingAHeadThatExistsIsRefused() {
        ConversationHead first = create(key("c"));

        Optional<ConversationHead> second = journal.compareAndSetHead(
                ConversationHead.start(key("c"), "other-agent", null, now()), 0);

        assertThat(second).isEmpty();
        assertThat(journal.head(key("c"))).contains(first);
    }

    @Test
    void headOfAnUnknownConversationIsEmpty() {
        assertThat(journal.head(key("never"))).isEmpty();
    }

    @Test
    void changingAHeadWithItsVersionStoresItWithAHigherVersion() {
        ConversationHead created = create(key("c"));
        ConversationHead moved = created.withRegion("eastus", new RegionCursor("conv_east_1", 0));

        ConversationHead stored = journal.compareAndSetHead(moved, created.version()).orElseThrow();

        assertThat(stored.version()).isGreaterThan(created.version());
        assertThat(stored.regions()).containsExactlyEntriesOf(moved.regions());
        assertThat(stored.region("eastus")).isEqualTo(new RegionCursor("conv_east_1", 0));
        assertThat(journal.head(key("c"))).contains(stored);
    }

    @Test
    void changingAHeadWithAStaleVersionIsRefused() {
        ConversationHead created = create(key("c"));
        ConversationHead current = journal.compareAndSetHead(
                created.withRegion("eastus", new RegionCursor("conv_east_1", 0)), created.version()).orElseThrow();

        Optional<ConversationHead> stale = journal.compareAndSetHead(
                created.withRegion("westus", new RegionCursor("conv_west_1", 0)), created.version());

        assertThat(stale).isEmpty();
        assertThat(journal.head(key("c"))).contains(current);
        assertThat(journal.compareAndSetHead(ConversationHead.start(key("absent"), AGENT, null, now()), 1))
                .isEmpty();
        assertThat(journal.head(key("absent"))).isEmpty();
    }

    @Test
    void anAppendMakesEarlierHeadVersionsStaleAndAHeadChangeKeepsTheHigherLastSequence() {
        ConversationHead created = create(key("c"));
        journal.append(pending(key("c"), 1, "hello").committed(outcome("hi", "resp_1")));

        Optional<ConversationHead> stale = journal.compareAndSetHead(
                created.withRegion("eastus", new RegionCursor("conv_east_1", 1)), created.version());
        ConversationHead current = journal.head(key("c")).orElseThrow();
        ConversationHead outdatedCopy = new ConversationHead(key("c"), AGENT, AGENT_VERSION, 0,
                current.createdAt(), current.lastActivityAt(), Map.of("eastus", new RegionCursor("conv_east_1", 1)),
                current.version());
        ConversationHead stored = journal.compareAndSetHead(outdatedCopy, current.version()).orElseThrow();

        assertThat(stale).isEmpty();
        assertThat(current.version()).isGreaterThan(created.version());
        assertThat(stored.lastSequence()).isEqualTo(1);
        assertThat(stored.region("eastus")).isEqualTo(new RegionCursor("conv_east_1", 1));
        assertThat(journal.head(key("c")).orElseThrow().lastSequence()).isEqualTo(1);
    }

    @Test
    void aHeadChangeKeepsTheLaterActivityTime() {
        ConversationHead created = create(key("c"));
        Instant activity = created.lastActivityAt();
        ConversationHead older = withActivity(created, activity.minus(1, ChronoUnit.DAYS));

        ConversationHead keptLater = journal.compareAndSetHead(older, created.version()).orElseThrow();
        ConversationHead newer = withActivity(keptLater, activity.plus(1, ChronoUnit.HOURS));
        ConversationHead tookLater = journal.compareAndSetHead(newer, keptLater.version()).orElseThrow();

        assertThat(keptLater.lastActivityAt()).isEqualTo(activity);
        assertThat(tookLater.lastActivityAt()).isEqualTo(activity.plus(1, ChronoUnit.HOURS));
        assertThat(journal.head(key("c"))).contains(tookLater);
    }

    // ---------------------------------------------------------------------------------------- append

    @Test
    void appendStoresAPendingTurnAndAdvancesTheHead() {
        ConversationHead created = create(key("c"));
        Instant before = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        Turn turn = pending(key("c"), 1, "hello");

        AppendResult result = journal.append(turn);

        assertThat(result).isEqualTo(AppendResult.WRITTEN);
        assertThat(journal.turn(key("c"), 1)).contains(turn);
        assertThat(journal.read(key("c"), 1)).containsExactly(turn);
        ConversationHead head = journal.head(key("c")).orElseThrow();
        assertThat(head.lastSequence()).isEqualTo(1);
        assertThat(head.version()).isGreaterThan(created.version());
        assertThat(head.lastActivityAt()).isAfterOrEqualTo(before);
        assertThat(head.createdAt()).isEqualTo(created.createdAt());
    }

    @Test
    void aTurnsOptionsAreKeptWhilePendingAndAfterItsCommit() throws Exception {
        create(key("o"));
        String options = "{\"max_output_tokens\":64,\"tool_choice\":{\"type\":\"function\",\"name\":\"lookup\"},"
                + "\"text\":{\"format\":{\"type\":\"json_schema\",\"name\":\"a\",\"schema\":{\"type\":\"object\"}}},"
                + "\"metadata\":{\"ticket\":\"T-17\"}}";
        Turn turn = Turn.pending(key("o"), 1, AGENT, AGENT_VERSION, List.of(TurnItem.userMessage("hello")), STARTED,
                options);

        journal.append(turn);
        journal = reopen(journal);

        assertThat(journal.turn(key("o"), 1).orElseThrow().options()).isEqualTo(options);
        assertThat(catchThrowable(() -> journal.append(Turn.pending(key("o"), 1, AGENT, AGENT_VERSION,
                List.of(TurnItem.userMessage("hello")), STARTED)))).as("the same input without the options is"
                        + " another request").isInstanceOf(TurnConflictException.class);
        journal.commit(key("o"), 1, outcome("a reply", "resp_o"));
        journal = reopen(journal);
        Turn committed = journal.turn(key("o"), 1).orElseThrow();
        assertThat(committed.status()).isEqualTo(TurnStatus.COMMITTED);
        assertThat(committed.options()).isEqualTo(options);
    }

    /**
     * A turn's options are the request the service receives when the pending turn is completed (by
     * reconciliation, after a crash or a failover): their numbers come back exactly as written, never as a
     * JSON engine on the way would rewrite them ({@code 1.50} as {@code 1.5}, {@code 1e2} as {@code 100.0},
     * a 20-digit integer rounded, {@code -0.0} as {@code 0}), and the same request appended again is an
     * idempotent retry, pending and committed.
     */
    @Test
    void aTurnsOptionsKeepTheirNumbersAsWrittenAndTheSameRequestAgainIsIdempotent() throws Exception {
        create(key("n"));
        String options = "{\"max_output_tokens\":64,\"text\":{\"format\":{\"type\":\"json_schema\",\"name\":\"price\","
                + "\"schema\":{\"type\":\"number\",\"minimum\":-0.0,\"maximum\":1e2,\"multipleOf\":1.50}}},"
                + "\"max_tool_calls\":10000000000000000001,\"x_ratio\":1.50,\"x_scale\":1e2,\"x_offset\":-0.0,"
                + "\"x_list\":[1.50,1e2,10000000000000000001,-0.0]}";
        Turn turn = Turn.pending(key("n"), 1, AGENT, AGENT_VERSION, List.of(TurnItem.userMessage("price?")), STARTED,
                options);
        journal.append(turn);
        journal = reopen(journal);

        Turn pendingRead = journal.turn(key("n"), 1).orElseThrow();
        assertThat(pendingRead.options()).as("the options as read back").isNotNull();
        assertThat(pendingRead.sameRequest(turn)).as("read back, the turn is the same request (options %s read"
                + " back as %s)", options, pendingRead.options()).isTrue();
        assertThat(journal.append(turn)).as("the same request appended again").isEqualTo(AppendResult.ALREADY_PRESENT);
        List<Turn> listed = eventually(this::ownPendingTurns, turns -> !turns.isEmpty());
        assertThat(listed).hasSize(1);
        assertThat(listed.get(0).sameRequest(turn)).as("listed as pending, the turn is the same request (options"
                + " listed as %s)", listed.get(0).options()).isTrue();

        journal.commit(key("n"), 1, outcome("12.50", "resp_n"));
        journal = reopen(journal);
        Turn committed = journal.turn(key("n"), 1).orElseThrow();
        assertThat(committed.sameRequest(turn)).as("committed, the turn is the same request (options read back as"
                + " %s)", committed.options()).isTrue();
        assertThat(journal.append(committed)).as("the committed turn appended again")
                .isEqualTo(AppendResult.ALREADY_PRESENT);
        assertThat(journal.append(turn.committed(outcome("12.50", "resp_n"))))
                .as("the committed turn, as its writer holds it, appended again").isEqualTo(AppendResult.ALREADY_PRESENT);
        assertThat(journal.read(key("n"), 1)).singleElement()
                .satisfies(t -> assertThat(t.sameRequest(turn)).as("options read by readTurns: %s", t.options())
                        .isTrue());
    }

    @Test
    void appendingTheSameRequestAgainIsAlreadyPresentAndChangesNothing() {
        create(key("c"));
        Turn turn = pending(key("c"), 1, "hello");
        journal.append(turn);
        ConversationHead head = journal.head(key("c")).orElseThrow();

        AppendResult again = journal.append(turn);
        AppendResult laterRetry = journal.append(Turn.pending(key("c"), 1, AGENT, AGENT_VERSION,
                turn.input(), STARTED.plusSeconds(60)));

        assertThat(again).isEqualTo(AppendResult.ALREADY_PRESENT);
        assertThat(laterRetry).isEqualTo(AppendResult.ALREADY_PRESENT);
        assertThat(journal.turn(key("c"), 1)).contains(turn);
        assertThat(journal.head(key("c"))).contains(head);
    }

    @Test
    void appendingADifferentRequestAtAJournaledSequenceConflicts() {
        create(key("c"));
        Turn turn = pending(key("c"), 1, "hello");
        journal.append(turn);
        ConversationHead head = journal.head(key("c")).orElseThrow();

        Throwable otherInput = catchThrowable(() -> journal.append(pending(key("c"), 1, "goodbye")));
        Throwable otherVersion = catchThrowable(() -> journal.append(
                Turn.pending(key("c"), 1, AGENT, "4", turn.input(), STARTED)));

        assertConflict(otherInput, key("c"), 1);
        assertConflict(otherVersion, key("c"), 1);
        assertThat(journal.turn(key("c"), 1)).contains(turn);
        assertThat(journal.head(key("c"))).contains(head);
    }

    @Test
    void appendingASequenceThatLeavesAGapIsRefused() {
        create(key("c"));

        Throwable first = catchThrowable(() -> journal.append(pending(key("c"), 2, "too early")));
        journal.append(pending(key("c"), 1, "one"));
        journal.commit(key("c"), 1, outcome("reply one", "resp_1"));
        Throwable skipping = catchThrowable(() -> journal.append(pending(key("c"), 3, "skips two")));

        assertConflict(first, key("c"), 2);
        assertConflict(skipping, key("c"), 3);
        assertThat(journal.turn(key("c"), 2)).isEmpty();
        assertThat(journal.turn(key("c"), 3)).isEmpty();
        assertThat(journal.head(key("c")).orElseThrow().lastSequence()).isEqualTo(1);
        assertThat(journal.append(pending(key("c"), 2, "two"))).isEqualTo(AppendResult.WRITTEN);
    }

    @Test
    void appendingWithoutAHeadFailsNamingTheConversation() {
        Throwable thrown = catchThrowable(() -> journal.append(pending(key("headless"), 1, "hello")));

        assertThat(thrown).isInstanceOf(JournalException.class).isNotInstanceOf(TurnConflictException.class)
                .hasMessageContaining(key("headless"));
        assertThat(journal.turn(key("headless"), 1)).isEmpty();
        assertThat(journal.head(key("headless"))).isEmpty();
    }

    @Test
    void appendingAPendingTurnThatIsAlreadyCommittedIsAlreadyPresent() {
        create(key("c"));
        Turn turn = pending(key("c"), 1, "hello");
        journal.append(turn);
        journal.commit(key("c"), 1, outcome("hi there", "resp_1"));

        AppendResult retry = journal.append(turn);

        assertThat(retry).isEqualTo(AppendResult.ALREADY_PRESENT);
        assertThat(journal.turn(key("c"), 1)).contains(turn.committed(outcome("hi there", "resp_1")));
    }

    @Test
    void appendingACommittedTurnImportsItAndIsIdempotentByOutcome() {
        create(key("c"));
        Turn imported = pending(key("c"), 1, "hello").committed(outcome("hi there", "resp_1"));

        AppendResult written = journal.append(imported);
        AppendResult again = journal.append(imported);
        Throwable otherOutcome = catchThrowable(() -> journal.append(
                pending(key("c"), 1, "hello").committed(outcome("something else", "resp_2"))));

        assertThat(written).isEqualTo(AppendResult.WRITTEN);
        assertThat(again).isEqualTo(AppendResult.ALREADY_PRESENT);
        assertConflict(otherOutcome, key("c"), 1);
        assertThat(journal.turn(key("c"), 1)).contains(imported);
        assertThat(journal.head(key("c")).orElseThrow().lastSequence()).isEqualTo(1);
    }

    @Test
    void appendingACommittedTurnOverAPendingOneConflicts() {
        create(key("c"));
        Turn turn = pending(key("c"), 1, "hello");
        journal.append(turn);

        Throwable thrown = catchThrowable(() -> journal.append(turn.committed(outcome("hi", "resp_1"))));

        assertConflict(thrown, key("c"), 1);
        assertThat(journal.turn(key("c"), 1)).contains(turn);
    }

    @Test
    void conversationsAreIndependent() {
        create(key("a"));
        create(key("b"));
        Turn a1 = pending(key("a"), 1, "to a");
        Turn b1 = pending(key("b"), 1, "to b");

        assertThat(journal.append(a1)).isEqualTo(AppendResult.WRITTEN);
        assertThat(journal.append(b1)).isEqualTo(AppendResult.WRITTEN);

        assertThat(journal.read(key("a"), 1)).containsExactly(a1);
        assertThat(journal.read(key("b"), 1)).containsExactly(b1);
    }

    // ---------------------------------------------------------------------------------------- commit

    @Test
    void commitMovesAPendingTurnToCommittedAndAdvancesTheHead() {
        create(key("c"));
        Turn turn = pending(key("c"), 1, "hello");
        journal.append(turn);
        ConversationHead afterAppend = journal.head(key("c")).orElseThrow();
        TurnOutcome outcome = outcome("hi there", "resp_1");

        AppendResult result = journal.commit(key("c"), 1, outcome);

        assertThat(result).isEqualTo(AppendResult.WRITTEN);
        Turn committed = journal.turn(key("c"), 1).orElseThrow();
        assertThat(committed).isEqualTo(turn.committed(outcome));
        assertThat(committed.status()).isEqualTo(TurnStatus.COMMITTED);
        assertThat(committed.outcome()).isEqualTo(outcome);
        ConversationHead head = journal.head(key("c")).orElseThrow();
        assertThat(head.version()).isGreaterThan(afterAppend.version());
        assertThat(head.lastSequence()).isEqualTo(1);
        assertThat(head.lastActivityAt()).isAfterOrEqualTo(afterAppend.lastActivityAt());
    }

    @Test
    void commitAdvancesTheServingRegionsCursorOnlyWhenItStoodAtThePreviousTurn() {
        ConversationHead created = create(key("n"));
        journal.compareAndSetHead(created.withRegion("eastus", new RegionCursor("conv_e", 0))
                .withRegion("westus", new RegionCursor("conv_w", 0)), created.version()).orElseThrow();
        journal.append(pending(key("n"), 1, "one"));

        journal.commit(key("n"), 1, outcome("reply one", "resp_1")); // served in eastus

        ConversationHead afterOne = journal.head(key("n")).orElseThrow();
        assertThat(afterOne.region("eastus")).isEqualTo(new RegionCursor("conv_e", 1));
        assertThat(afterOne.region("westus")).isEqualTo(new RegionCursor("conv_w", 0));

        // a cursor that is not at the previous turn is left alone: those items may not be there
        journal.compareAndSetHead(afterOne.withRegion("eastus", new RegionCursor("conv_e2", 0)), afterOne.version())
                .orElseThrow();
        journal.append(pending(key("n"), 2, "two"));
        journal.commit(key("n"), 2, outcome("reply two", "resp_2"));
        assertThat(journal.head(key("n")).orElseThrow().region("eastus")).isEqualTo(new RegionCursor("conv_e2", 0));
    }

    @Test
    void appendingACommittedTurnAdvancesTheServingRegionsCursorLikeACommit() {
        ConversationHead created = create(key("a"));
        journal.compareAndSetHead(created.withRegion("eastus", new RegionCursor("conv_e", 0))
                .withRegion("westus", new RegionCursor("conv_w", 0)), created.version()).orElseThrow();

        // one write per turn (TurnDurability.ANSWER_ONLY): input and answer journaled together
        journal.append(pending(key("a"), 1, "one").committed(outcome("reply one", "resp_1"))); // served in eastus

        ConversationHead head = journal.head(key("a")).orElseThrow();
        assertThat(head.lastSequence()).isEqualTo(1);
        assertThat(head.region("eastus")).isEqualTo(new RegionCursor("conv_e", 1));
        assertThat(head.region("westus")).isEqualTo(new RegionCursor("conv_w", 0));
        assertThat(journal.pendingTurns()).noneMatch(t -> t.conversationKey().equals(key("a")));
        assertThat(journal.turn(key("a"), 1).orElseThrow().status()).isEqualTo(TurnStatus.COMMITTED);
    }

    @Test
    void committingTheSameOutcomeAgainIsAlreadyPresentAndChangesNothing() {
        create(key("c"));
        journal.append(pending(key("c"), 1, "hello"));
        TurnOutcome outcome = outcome("hi there", "resp_1");
        journal.commit(key("c"), 1, outcome);
        Turn committed = journal.turn(key("c"), 1).orElseThrow();
        ConversationHead head = journal.head(key("c")).orElseThrow();

        AppendResult again = journal.commit(key("c"), 1, outcome);
        AppendResult laterRetry = journal.commit(key("c"), 1, new TurnOutcome(outcome.output(),
                outcome.responseId(), outcome.region(), outcome.usage(), COMPLETED.plusSeconds(30)));

        assertThat(again).isEqualTo(AppendResult.ALREADY_PRESENT);
        assertThat(laterRetry).isEqualTo(AppendResult.ALREADY_PRESENT);
        assertThat(journal.turn(key("c"), 1)).contains(committed);
        assertThat(journal.head(key("c"))).contains(head);
    }

    @Test
    void committingADifferentOutcomeConflicts() {
        create(key("c"));
        journal.append(pending(key("c"), 1, "hello"));
        journal.commit(key("c"), 1, outcome("hi there", "resp_1"));
        Turn committed = journal.turn(key("c"), 1).orElseThrow();

        Throwable otherResponse = catchThrowable(() -> journal.commit(key("c"), 1, outcome("hi there", "resp_2")));
        Throwable otherOutput = catchThrowable(() -> journal.commit(key("c"), 1, outcome("bye", "resp_1")));

        assertConflict(otherResponse, key("c"), 1);
        assertConflict(otherOutput, key("c"), 1);
        assertThat(journal.turn(key("c"), 1)).contains(committed);
    }

    @Test
    void committingATurnThatIsNotJournaledFailsNamingConversationAndSequence() {
        create(key("c"));
        journal.append(pending(key("c"), 1, "hello"));

        Throwable missingTurn = catchThrowable(() -> journal.commit(key("c"), 7, outcome("x", "resp_7")));
        Throwable missingConversation = catchThrowable(
                () -> journal.commit(key("nowhere"), 1, outcome("x", "resp_1")));

        assertThat(missingTurn).isInstanceOf(JournalException.class)
                .isNotInstanceOf(TurnConflictException.class)
                .hasMessageContaining(key("c")).hasMessageContaining("7");
        assertThat(missingConversation).isInstanceOf(JournalException.class)
                .isNotInstanceOf(TurnConflictException.class)
                .hasMessageContaining(key("nowhere"));
        assertThat(journal.turn(key("c"), 7)).isEmpty();
        assertThat(journal.head(key("nowhere"))).isEmpty();
    }

    // --------------------------------------------------------------------------------------- discard

    @Test
    void discardingTheLastPendingTurnRemovesItAndRewindsTheHead() {
        create(key("c"));
        journal.append(pending(key("c"), 1, "one"));
        journal.commit(key("c"), 1, outcome("reply one", "resp_1"));
        journal.append(pending(key("c"), 2, "refused by the service"));
        ConversationHead before = journal.head(key("c")).orElseThrow();

        AppendResult discarded = journal.discardPending(key("c"), 2);
        AppendResult again = journal.discardPending(key("c"), 2);

        assertThat(discarded).isEqualTo(AppendResult.WRITTEN);
        assertThat(again).isEqualTo(AppendResult.ALREADY_PRESENT);
        assertThat(journal.turn(key("c"), 2)).isEmpty();
        assertThat(journal.read(key("c"), 1)).extracting(Turn::sequence).containsExactly(1L);
        ConversationHead head = journal.head(key("c")).orElseThrow();
        assertThat(head.lastSequence()).isEqualTo(1);
        assertThat(head.version()).isGreaterThan(before.version());
        Turn replacement = pending(key("c"), 2, "a different second turn");
        assertThat(journal.append(replacement)).isEqualTo(AppendResult.WRITTEN);
        assertThat(journal.turn(key("c"), 2)).contains(replacement);
    }

    @Test
    void discardingACommittedTurnConflicts() {
        create(key("c"));
        journal.append(pending(key("c"), 1, "one"));
        journal.commit(key("c"), 1, outcome("reply one", "resp_1"));
        Turn committed = journal.turn(key("c"), 1).orElseThrow();

        Throwable thrown = catchThrowable(() -> journal.discardPending(key("c"), 1));

        assertConflict(thrown, key("c"), 1);
        assertThat(journal.turn(key("c"), 1)).contains(committed);
        assertThat(journal.head(key("c")).orElseThrow().lastSequence()).isEqualTo(1);
    }

    @Test
    void discardingAPendingTurnLeavesNoTurnAfterIt() {
        create(key("c"));
        Turn first = pending(key("c"), 1, "one");
        journal.append(first);
        // a pending turn is always the last one (no turn follows it), so discarding it never leaves a gap
        Throwable second = catchThrowable(() -> journal.append(pending(key("c"), 2, "two")));

        AppendResult discarded = journal.discardPending(key("c"), 1);

        assertConflict(second, key("c"), 2);
        assertThat(discarded).isEqualTo(AppendResult.WRITTEN);
        assertThat(journal.read(key("c"), 1)).isEmpty();
        assertThat(journal.head(key("c")).orElseThrow().lastSequence()).isZero();
    }

    // ------------------------------------------------------------------------------------ invariants
    // Every write path keeps the journal's invariants (TurnWriteRules): a write that would break one is
    // refused with a TurnConflictException (turns) or a JournalException (heads) and writes nothing.

    @Test
    @Tag("adversarial")
    void noTurnFollowsAPendingOneAndACommittedOneLeastOfAll() {
        create(key("c"));
        journal.append(pending(key("c"), 1, "one").committed(outcome("reply one", "resp_1")));
        Turn two = pending(key("c"), 2, "two");
        journal.append(two);
        ConversationHead head = journal.head(key("c")).orElseThrow();

        // the journal: pending turn 2, then a committed turn 3 that would never be replayed
        Throwable committedAfterPending = catchThrowable(() -> journal.append(
                pending(key("c"), 3, "three").committed(outcome("reply three", "resp_3"))));
        Throwable pendingAfterPending = catchThrowable(() -> journal.append(pending(key("c"), 3, "three")));

        assertConflict(committedAfterPending, key("c"), 3);
        assertThat(committedAfterPending).hasMessageContaining("turn 2 is pending");
        assertConflict(pendingAfterPending, key("c"), 3);
        assertThat(journal.turn(key("c"), 3)).isEmpty();
        assertThat(journal.read(key("c"), 1)).extracting(Turn::sequence).containsExactly(1L, 2L);
        assertThat(journal.head(key("c"))).contains(head);
        assertThat(eventually(this::ownPendingTurns, turns -> turns.size() == 1)).containsExactly(two);
        // once turn 2 is committed, turn 3 follows it
        journal.commit(key("c"), 2, outcome("reply two", "resp_2"));
        assertThat(journal.append(pending(key("c"), 3, "three"))).isEqualTo(AppendResult.WRITTEN);
    }

    @Test
    @Tag("adversarial")
    void aTurnNamingAnotherAgentThanItsConversationIsRefused() {
        create(key("c"));
        List<TurnItem> input = List.of(TurnItem.userMessage("hello"));

        Throwable otherAgent = catchThrowable(() -> journal.append(
                Turn.pending(key("c"), 1, "billing-agent", AGENT_VERSION, input, STARTED)));
        Throwable otherVersion = catchThrowable(() -> journal.append(
                Turn.pending(key("c"), 1, AGENT, "4", input, STARTED)));
        Throwable latestVersion = catchThrowable(() -> journal.append(
                Turn.pending(key("c"), 1, AGENT, null, input, STARTED).committed(outcome("hi", "resp_1"))));
        journal.append(pending(key("c"), 1, "hello").committed(outcome("hi", "resp_1")));
        Throwable later = catchThrowable(() -> journal.append(Turn.pending(key("c"), 2, "billing-agent",
                AGENT_VERSION, input, STARTED).committed(outcome("hi", "resp_2"))));

        assertConflict(otherAgent, key("c"), 1);
        assertThat(otherAgent).hasMessageContaining("billing-agent").hasMessageContaining(AGENT);
        assertConflict(otherVersion, key("c"), 1);
        assertConflict(latestVersion, key("c"), 1);
        assertConflict(later, key("c"), 2);
        assertThat(journal.read(key("c"), 1)).extracting(Turn::sequence).containsExactly(1L);
        assertThat(journal.head(key("c")).orElseThrow().lastSequence()).isEqualTo(1);
    }

    @Test
    @Tag("adversarial")
    void sequencesStartAtOneWithoutGaps() {
        create(key("c"));

        Throwable notFirst = catchThrowable(() -> journal.append(
                pending(key("c"), 5, "five").committed(outcome("reply", "resp_5"))));
        journal.append(pending(key("c"), 1, "one").committed(outcome("reply one", "resp_1")));
        Throwable gap = catchThrowable(() -> journal.append(
                pending(key("c"), 3, "three").committed(outcome("reply", "resp_3"))));

        assertConflict(notFirst, key("c"), 5);
        assertConflict(gap, key("c"), 3);
        assertThat(journal.read(key("c"), 1)).extracting(Turn::sequence).containsExactly(1L);
        assertThat(journal.head(key("c")).orElseThrow().lastSequence()).isEqualTo(1);
    }

    @Test
    @Tag("adversarial")
    void malformedTurnsAreRefused() {
        create(key("c"));
        List<TurnItem> input = List.of(TurnItem.userMessage("hello"));
        List<TurnItem> answer = List.of(TurnItem.assistantMessage("hi"));
        List<Turn> malformed = List.of(
                // committed without the response, region or time that answered it
                new Turn(key("c"), 1, AGENT, AGENT_VERSION, input, answer, null, "eastus", TokenUsage.NONE,
                        TurnStatus.COMMITTED, STARTED, COMPLETED),
                new Turn(key("c"), 1, AGENT, AGENT_VERSION, input, answer, "resp_1", " ", TokenUsage.NONE,
                        TurnStatus.COMMITTED, STARTED, COMPLETED),
                new Turn(key("c"), 1, AGENT, AGENT_VERSION, input, answer, "resp_1", "eastus", TokenUsage.NONE,
                        TurnStatus.COMMITTED, STARTED, null),
                // committed with nothing in it
                new Turn(key("c"), 1, AGENT, AGENT_VERSION, List.of(), List.of(), "resp_1", "eastus",
                        TokenUsage.NONE, TurnStatus.COMMITTED, STARTED, COMPLETED),
                // pending with an answer, or without input
                new Turn(key("c"), 1, AGENT, AGENT_VERSION, input, answer, null, null, TokenUsage.NONE,
                        TurnStatus.PENDING, STARTED, null),
                new Turn(key("c"), 1, AGENT, AGENT_VERSION, input, List.of(), "resp_1", "eastus", TokenUsage.NONE,
                        TurnStatus.PENDING, STARTED, COMPLETED),
                Turn.pending(key("c"), 1, AGENT, AGENT_VERSION, List.of(), STARTED));

        for (Turn turn : malformed) {
            assertConflict(catchThrowable(() -> journal.append(turn)), key("c"), 1);
        }

        assertThat(journal.read(key("c"), 1)).isEmpty();
        assertThat(journal.head(key("c")).orElseThrow().lastSequence()).isZero();
    }

    @Test
    @Tag("adversarial")
    void aCommitThatDoesNotNameItsResponseAndRegionIsRefused() {
        create(key("c"));
        Turn turn = pending(key("c"), 1, "hello");
        journal.append(turn);

        Throwable noResponse = catchThrowable(() -> journal.commit(key("c"), 1, new TurnOutcome(
                List.of(TurnItem.assistantMessage("hi")), "", "eastus", TokenUsage.NONE, COMPLETED)));
        Throwable noRegion = catchThrowable(() -> journal.commit(key("c"), 1, new TurnOutcome(
                List.of(TurnItem.assistantMessage("hi")), "resp_1", "  ", TokenUsage.NONE, COMPLETED)));

        assertConflict(noResponse, key("c"), 1);
        assertConflict(noRegion, key("c"), 1);
        assertThat(journal.turn(key("c"), 1)).contains(turn);
    }

    @Test
    @Tag("adversarial")
    void retriesStayIdempotentUnderTheInvariants() {
        create(key("c"));
        Turn one = pending(key("c"), 1, "one");
        Turn two = pending(key("c"), 2, "two");
        TurnOutcome answer = outcome("reply one", "resp_1");
        journal.append(one);
        journal.commit(key("c"), 1, answer);
        journal.append(two);
        ConversationHead head = journal.head(key("c")).orElseThrow();

        // retries of earlier writes, made while turn 2 is the pending last turn
        assertThat(journal.append(one)).isEqualTo(AppendResult.ALREADY_PRESENT);
        assertThat(journal.append(one.committed(answer))).isEqualTo(AppendResult.ALREADY_PRESENT);
        assertThat(journal.commit(key("c"), 1, answer)).isEqualTo(AppendResult.ALREADY_PRESENT);
        assertThat(journal.append(two)).isEqualTo(AppendResult.ALREADY_PRESENT);

        assertThat(journal.head(key("c"))).contains(head);
        assertThat(journal.commit(key("c"), 2, outcome("reply two", "resp_2"))).isEqualTo(AppendResult.WRITTEN);
        assertThat(journal.commit(key("c"), 2, outcome("reply two", "resp_2"))).isEqualTo(AppendResult.ALREADY_PRESENT);
    }

    @Test
    @Tag("adversarial")
    void aNewConversationCannotClaimTurns() {
        Instant now = now();
        ConversationHead claimingTurns = new ConversationHead(key("c"), AGENT, AGENT_VERSION, 3, now, now, Map.of(), 0);
        ConversationHead claimingACursor = ConversationHead.start(key("d"), AGENT, AGENT_VERSION, now)
                .withRegion("eastus", new RegionCursor("conv_east", 2));
        ConversationHead noAgent = ConversationHead.start(key("e"), " ", null, now);

        Throwable turns = catchThrowable(() -> journal.compareAndSetHead(claimingTurns, 0));
        Throwable cursor = catchThrowable(() -> journal.compareAndSetHead(claimingACursor, 0));
        Throwable agent = catchThrowable(() -> journal.compareAndSetHead(noAgent, 0));

        assertThat(turns).isInstanceOf(JournalException.class).hasMessageContaining(key("c"));
        assertThat(cursor).isInstanceOf(JournalException.class).hasMessageContaining(key("d"))
                .hasMessageContaining("eastus");
        assertThat(agent).isInstanceOf(JournalException.class).hasMessageContaining(key("e"));
        assertThat(journal.head(key("c"))).isEmpty();
        assertThat(journal.head(key("d"))).isEmpty();
        assertThat(journal.head(key("e"))).isEmpty();
    }

    @Test
    @Tag("adversarial")
    void aHeadChangeCannotChangeTheAgentClaimTurnsOrMoveACursorBeyondThem() {
        create(key("c"));
        journal.append(pending(key("c"), 1, "one").committed(outcome("reply one", "resp_1")));
        ConversationHead head = journal.head(key("c")).orElseThrow();

        Throwable otherAgent = catchThrowable(() -> journal.compareAndSetHead(new ConversationHead(key("c"),
                "billing-agent", AGENT_VERSION, 1, head.createdAt(), head.lastActivityAt(), head.regions(),
                head.version()), head.version()));
        Throwable otherVersion = catchThrowable(() -> journal.compareAndSetHead(new ConversationHead(key("c"),
                AGENT, "4", 1, head.createdAt(), head.lastActivityAt(), head.regions(), head.version()),
                head.version()));
        Throwable claimsTurns = catchThrowable(() -> journal.compareAndSetHead(new ConversationHead(key("c"),
                AGENT, AGENT_VERSION, 5, head.createdAt(), head.lastActivityAt(), head.regions(), head.version()),
                head.version()));
        Throwable cursorBeyond = catchThrowable(() -> journal.compareAndSetHead(
                head.withRegion("westus", new RegionCursor("conv_west", 3)), head.version()));

        assertThat(otherAgent).isInstanceOf(JournalException.class).hasMessageContaining(key("c"))
                .hasMessageContaining("billing-agent");
        assertThat(otherVersion).isInstanceOf(JournalException.class).hasMessageContaining(key("c"));
        assertThat(claimsTurns).isInstanceOf(JournalException.class).hasMessageContaining(key("c"));
        assertThat(cursorBeyond).isInstanceOf(JournalException.class).hasMessageContaining("westus");
        assertThat(journal.head(key("c"))).contains(head);
        // a cursor within the journaled turns is fine
        ConversationHead moved = journal.compareAndSetHead(
                head.withRegion("westus", new RegionCursor("conv_west", 1)), head.version()).orElseThrow();
        assertThat(moved.region("westus")).isEqualTo(new RegionCursor("conv_west", 1));
        assertThat(moved.lastSequence()).isEqualTo(1);
    }

    @Test
    @Tag("adversarial")
    void aRegionsCursorNeverStandsOnAPendingTurn() {
        create(key("c"));
        journal.append(pending(key("c"), 1, "one").committed(outcome("reply one", "resp_1")));
        journal.append(pending(key("c"), 2, "two"));
        ConversationHead head = journal.head(key("c")).orElseThrow();

        // a cursor on turn 2 would make a later replay skip it once it is committed
        Throwable onPending = catchThrowable(() -> journal.compareAndSetHead(
                head.withRegion("westus", new RegionCursor("conv_west", 2)), head.version()));

        assertThat(onPending).isInstanceOf(JournalException.class).hasMessageContaining(key("c"))
                .hasMessageContaining("westus");
        assertThat(journal.head(key("c"))).contains(head);
        ConversationHead onCommitted = journal.compareAndSetHead(
                head.withRegion("westus", new RegionCursor("conv_west", 1)), head.version()).orElseThrow();
        journal.commit(key("c"), 2, outcome("reply two", "resp_2"));
        ConversationHead afterCommit = journal.head(key("c")).orElseThrow();
        assertThat(journal.compareAndSetHead(afterCommit.withRegion("westus", new RegionCursor("conv_west", 2)),
                afterCommit.version())).isPresent();
        assertThat(onCommitted.region("westus")).isEqualTo(new RegionCursor("conv_west", 1));
    }

    // ------------------------------------------------------------------------------------------ read

    @Test
    void readReturnsTurnsFromASequenceInSequenceOrderNotTimeOrder() {
        create(key("c"));
        List<Turn> turns = new ArrayList<>();
        for (int sequence = 1; sequence <= 5; sequence++) {
            // started times run backwards: order must come from the sequence, never the clock
            Turn turn = Turn.pending(key("c"), sequence, AGENT, AGENT_VERSION,
                    List.of(TurnItem.userMessage("message " + sequence)), STARTED.minusSeconds(sequence))
                    .committed(outcome("reply " + sequence, "resp_" + sequence));
            journal.append(turn);
            turns.add(turn);
        }

        assertThat(journal.read(key("c"), 1)).containsExactlyElementsOf(turns);
        assertThat(journal.read(key("c"), 3)).containsExactlyElementsOf(turns.subList(2, 5));
        assertThat(journal.read(key("c"), 6)).isEmpty();
        assertThat(journal.read(key("unknown"), 1)).isEmpty();
        assertThat(journal.turn(key("c"), 6)).isEmpty();
        assertThat(journal.turn(key("unknown"), 1)).isEmpty();
    }

    @Test
    void itemsOfEveryKindComeBackExactlyAsWritten() {
        List<TurnItem> input = List.of(
                TurnItem.message("developer", "Answer in French."),
                TurnItem.userMessage("Quotes \" and \\ backslashes, newline\nand unicode: héllo 世界 🚀"),
                TurnItem.functionCallOutput("call_42", "{\"temperature\": 21.5, \"unit\": \"C\"}"),
                TurnItem.of("{\"type\":\"message\",\"role\":\"user\",\"content\":[{\"type\":\"input_image\","
                        + "\"image_url\":\"https://example.com/a.png\",\"detail\":\"auto\"}]}"));
        List<TurnItem> output = List.of(
                TurnItem.of("{\"type\":\"reasoning\",\"summary\":[{\"type\":\"summary_text\",\"text\":\"hm\"}]}"),
                TurnItem.functionCall("call_43", "get_weather", "{\"city\":\"Paris\"}"),
                TurnItem.assistantMessage("Il fait 21,5 °C à Paris."),
                TurnItem.of("{\"type\":\"future_item_type\",\"nested\":{\"list\":[1,2.5,true,null],\"empty\":{}}}"));
        Turn turn = Turn.pending(key("c"), 1, AGENT, null, input, STARTED);
        TurnOutcome outcome = new TurnOutcome(output, "resp_items", "westeurope", new TokenUsage(1200, 80, 1280),
                COMPLETED);
        journal.compareAndSetHead(ConversationHead.start(key("c"), AGENT, null, now()), 0).orElseThrow();

        journal.append(turn);
        journal.commit(key("c"), 1, outcome);

        Turn stored = journal.turn(key("c"), 1).orElseThrow();
        assertThat(stored.input()).containsExactlyElementsOf(input);
        assertThat(stored.output()).containsExactlyElementsOf(output);
        assertThat(stored).isEqualTo(turn.committed(outcome));
        assertThat(stored.agentVersion()).isNull();
    }

    /**
     * Numbers a {@code double} would change (and the escapes and nulls around them) are stored exactly as
     * the item holds them, through a reopen: {@code 1.50} is not {@code 1.5}, {@code 1e400} is not
     * {@code "Infinity"}, {@code -0} keeps its sign, big integers keep every digit.
     */
    @Test
    @Tag("adversarial")
    void numbersInItemsAreStoredExactlyAsWritten() throws Exception {
        create(key("n"));
        String arguments = "{\"amount\":1.50,\"limit\":1e400,\"rate\":0.10000000000000000000001,\"offset\":-0,"
                + "\"id\":12345678901234567890123}";
        TurnItem structured = TurnItem.of("{ \"type\": \"future_item_type\", \"zeta\": { \"price\": 1.50,"
                + " \"huge\": 1e400, \"tiny\": 0.10000000000000000000001, \"neg_zero\": -0, \"neg_zero_f\": -0.0,"
                + " \"big\": 12345678901234567890123, \"exp\": 1.0E+2, \"list\": [1.50, null, {\"n\": -1e-400}],"
                + " \"text\": \"caf\\u00e9 \\ud83d\\ude00 \\u2028\" }, \"alpha\": [] }");
        String expected = "{\"alpha\":[],\"type\":\"future_item_type\",\"zeta\":{\"big\":12345678901234567890123,"
                + "\"exp\":1.0E+2,\"huge\":1e400,\"list\":[1.50,null,{\"n\":-1e-400}],\"neg_zero\":-0,"
                + "\"neg_zero_f\":-0.0,\"price\":1.50,\"text\":\"caf\u00e9 \ud83d\ude00 \u2028\","
                + "\"tiny\":0.10000000000000000000001}}";
        assertThat(structured.json()).isEqualTo(expected);
        List<TurnItem> input = List.of(structured, TurnItem.functionCallOutput("call_n", arguments));
        List<TurnItem> output = List.of(TurnItem.functionCall("call_n2", "quote", arguments));

        journal.append(Turn.pending(key("n"), 1, AGENT, AGENT_VERSION, input, STARTED));
        journal.commit(key("n"), 1, new TurnOutcome(output, "resp_n", "eastus", TokenUsage.NONE, COMPLETED));
        journal = reopen(journal);

        Turn stored = journal.turn(key("n"), 1).orElseThrow();
        assertThat(stored.input().get(0).json()).isEqualTo(expected);
        assertThat(stored.input().get(1).text()).isEqualTo(arguments);
        assertThat(stored.output().get(0).text()).isEqualTo(arguments);
        assertThat(stored.input()).containsExactlyElementsOf(input);
        assertThat(stored.output()).containsExactlyElementsOf(output);
    }

    // --------------------------------------------------------------------------------------- listing

    @Test
    void listingPagesThroughConversationsMostRecentlyActiveFirst() {
        Instant base = Instant.now().truncatedTo(ChronoUnit.MILLIS).minus(1, ChronoUnit.HOURS);
        List<String> keys = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            String key = key("list-" + i);
            keys.add(key);
            journal.compareAndSetHead(ConversationHead.start(key, AGENT, AGENT_VERSION,
                    base.plus(i, ChronoUnit.MINUTES)), 0).orElseThrow();
        }
        journal.append(pending(keys.get(2), 1, "hello").committed(outcome("hi", "resp_1")));
        journal.append(pending(keys.get(2), 2, "again"));
        // conversation 2 is now the most recently active, then 4, 3, 1, 0
        List<String> expected = List.of(keys.get(2), keys.get(4), keys.get(3), keys.get(1), keys.get(0));

        List<ConversationSummary> listed = eventually(() -> listAll(2),
                all -> ownKeys(all).equals(expected));

        assertThat(ownKeys(listed)).containsExactlyElementsOf(expected);
        assertThat(listed).extracting(ConversationSummary::conversationKey).doesNotHaveDuplicates();
        for (int i = 1; i < listed.size(); i++) {
            assertThat(listed.get(i).lastActivityAt()).as("activity of listed item %d", i)
                    .isBeforeOrEqualTo(listed.get(i - 1).lastActivityAt());
        }
        ConversationSummary active = listed.stream().filter(s -> s.conversationKey().equals(keys.get(2)))
                .findFirst().orElseThrow();
        ConversationHead activeHead = journal.head(keys.get(2)).orElseThrow();
        assertThat(active).isEqualTo(new ConversationSummary(keys.get(2), AGENT, 2, activeHead.lastActivityAt()));
        ConversationSummary oldest = listed.stream().filter(s -> s.conversationKey().equals(keys.get(0)))
                .findFirst().orElseThrow();
        assertThat(oldest).isEqualTo(new ConversationSummary(keys.get(0), AGENT, 0, base));
    }

    @Test
    void listingIsStableWhateverThePageSize() {
        Instant base = Instant.now().truncatedTo(ChronoUnit.MILLIS).minus(2, ChronoUnit.HOURS);
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < 7; i++) {
            String key = key("page-" + i);
            expected.add(0, key);
            // two conversations share an activity time: their order must still be stable
            Instant activity = base.plus(Math.min(i, 5), ChronoUnit.MINUTES);
            journal.compareAndSetHead(ConversationHead.start(key, AGENT, null, activity), 0).orElseThrow();
        }
        List<String> reference = ownKeys(eventually(() -> listAll(100),
                all -> ownKeys(all).containsAll(expected)));

        for (int pageSize = 1; pageSize <= 4; pageSize++) {
            List<ConversationSummary> listed = listAll(pageSize);
            assertThat(listed).as("page size %d", pageSize)
                    .extracting(ConversationSummary::conversationKey).doesNotHaveDuplicates();
            assertThat(ownKeys(listed)).as("page size %d", pageSize).containsExactlyElementsOf(reference);
        }
        assertThat(reference.subList(2, 7)).containsExactlyElementsOf(expected.subList(2, 7));
        assertThat(reference.subList(0, 2)).containsExactlyInAnyOrderElementsOf(expected.subList(0, 2));
    }

    // --------------------------------------------------------------------------------------- pending

    @Test
    void pendingTurnsAreTheTurnsAwaitingCommit() {
        create(key("a"));
        create(key("b"));
        journal.append(pending(key("a"), 1, "a one"));
        journal.commit(key("a"), 1, outcome("reply", "resp_a1"));
        Turn a2 = pending(key("a"), 2, "a two");
        Turn b1 = pending(key("b"), 1, "b one");
        journal.append(a2);
        journal.append(b1);

        List<Turn> before = eventually(this::ownPendingTurns, turns -> turns.size() == 2);
        journal.commit(key("a"), 2, outcome("reply two", "resp_a2"));
        List<Turn> after = eventually(this::ownPendingTurns, turns -> turns.size() == 1);

        assertThat(before).containsExactlyInAnyOrder(a2, b1);
        assertThat(after).containsExactly(b1);
    }

    // ----------------------------------------------------------------------------------- concurrency

    @Test
    void concurrentConversationsAreAllJournaled() throws Exception {
        int turnsEach = 10;
        for (int c = 0; c < RACERS; c++) {
            create(key("parallel-" + c));
        }

        List<Attempt<Integer>> attempts = race(RACERS, c -> () -> {
            String key = key("parallel-" + c);
            for (int sequence = 1; sequence <= turnsEach; sequence++) {
                assertThat(journal.append(pending(key, sequence, "turn " + sequence)))
                        .isEqualTo(AppendResult.WRITTEN);
                assertThat(journal.commit(key, sequence, outcome("reply " + sequence, "resp_" + sequence)))
                        .isEqualTo(AppendResult.WRITTEN);
            }
            return turnsEach;
        });

        assertThat(attempts).allSatisfy(attempt -> assertThat(attempt.error()).isNull());
        for (int c = 0; c < RACERS; c++) {
            String key = key("parallel-" + c);
            List<Turn> turns = journal.read(key, 1);
            assertThat(turns).extracting(Turn::sequence)
                    .containsExactlyElementsOf(LongStream.rangeClosed(1, turnsEach).boxed().toList());
            assertThat(turns).allSatisfy(turn -> assertThat(turn.status()).isEqualTo(TurnStatus.COMMITTED));
            assertThat(turns.get(turnsEach - 1)).isEqualTo(
                    pending(key, turnsEach, "turn " + turnsEach).committed(outcome("reply " + turnsEach,
                            "resp_" + turnsEach)));
            assertThat(journal.head(key).orElseThrow().lastSequence()).isEqualTo(turnsEach);
        }
    }

    @Test
    void concurrentIdenticalAppendsWriteOnce() throws Exception {
        create(key("c"));
        Turn turn = pending(key("c"), 1, "hello");

        List<Attempt<AppendResult>> attempts = race(RACERS, i -> () -> journal.append(turn));

        assertThat(attempts).extracting(Attempt::error).containsOnlyNulls();
        assertThat(attempts).extracting(Attempt::result)
                .containsOnlyOnce(AppendResult.WRITTEN)
                .containsOnly(AppendResult.WRITTEN, AppendResult.ALREADY_PRESENT);
        assertThat(journal.read(key("c"), 1)).containsExactly(turn);
    }

    @Test
    void concurrentDifferentAppendsAtOneSequenceLetExactlyOneWin() throws Exception {
        create(key("c"));

        List<Attempt<AppendResult>> attempts = race(RACERS,
                i -> () -> journal.append(pending(key("c"), 1, "writer " + i)));

        List<Integer> winners = new ArrayList<>();
        for (int i = 0; i < attempts.size(); i++) {
            Attempt<AppendResult> attempt = attempts.get(i);
            if (attempt.error() == null) {
                assertThat(attempt.result()).isEqualTo(AppendResult.WRITTEN);
                winners.add(i);
            } else {
                assertConflict(attempt.error(), key("c"), 1);
            }
        }
        assertThat(winners).hasSize(1);
        assertThat(journal.read(key("c"), 1)).containsExactly(pending(key("c"), 1, "writer " + winners.get(0)));
    }

    @Test
    void concurrentHeadChangesFromOneVersionLetExactlyOneWin() throws Exception {
        ConversationHead created = create(key("c"));

        List<Attempt<Optional<ConversationHead>>> attempts = race(RACERS, i -> () -> journal.compareAndSetHead(
                created.withRegion("region-" + i, new RegionCursor("conv_" + i, 0)), created.version()));

        assertThat(attempts).extracting(Attempt::error).containsOnlyNulls();
        List<ConversationHead> winners = attempts.stream().map(Attempt::result).flatMap(Optional::stream).toList();
        assertThat(winners).hasSize(1);
        assertThat(journal.head(key("c"))).contains(winners.get(0));
        assertThat(winners.get(0).regions()).hasSize(1);
    }

    @Test
    void concurrentIdenticalCommitsWriteOnce() throws Exception {
        create(key("c"));
        journal.append(pending(key("c"), 1, "hello"));
        TurnOutcome outcome = outcome("hi", "resp_1");

        List<Attempt<AppendResult>> attempts = race(RACERS, i -> () -> journal.commit(key("c"), 1, outcome));

        assertThat(attempts).extracting(Attempt::error).containsOnlyNulls();
        assertThat(attempts).extracting(Attempt::result)
                .containsOnlyOnce(AppendResult.WRITTEN)
                .containsOnly(AppendResult.WRITTEN, AppendResult.ALREADY_PRESENT);
        assertThat(journal.turn(key("c"), 1)).contains(pending(key("c"), 1, "hello").committed(outcome));
    }

    // --------------------------------------------------------------------------------------- tenants

    @Test
    void aConversationKeepsTheTenantItWasCreatedForAndOneCreatedWithoutIsTheDefaultTenants() throws Exception {
        String tenant = tenant("a");
        ConversationHead created = journal.compareAndSetHead(
                ConversationHead.start(tenant, key("t"), AGENT, AGENT_VERSION, now()), 0).orElseThrow();
        ConversationHead plain = create(key("d"));
        journal.append(pending(key("t"), 1, "hello"));
        journal.commit(key("t"), 1, outcome("hi", "resp_1"));

        assertThat(created.tenant()).isEqualTo(tenant);
        assertThat(plain.tenant()).isEqualTo(Tenants.DEFAULT);
        journal = reopen(journal);
        ConversationHead head = journal.head(key("t")).orElseThrow();
        assertThat(head.tenant()).as("the tenant after two writes and a reopen").isEqualTo(tenant);
        assertThat(head.lastSequence()).isEqualTo(1);
        assertThat(journal.head(key("d")).orElseThrow().tenant()).isEqualTo(Tenants.DEFAULT);
        ConversationHead moved = journal.compareAndSetHead(head.withRegion("eastus", new RegionCursor("conv_1", 1)),
                head.version()).orElseThrow();
        assertThat(moved.tenant()).isEqualTo(tenant);
    }

    @Test
    void aHeadChangeCannotMoveAConversationToAnotherTenant() {
        String tenant = tenant("a");
        ConversationHead head = journal.compareAndSetHead(
                ConversationHead.start(tenant, key("c"), AGENT, AGENT_VERSION, now()), 0).orElseThrow();
        ConversationHead elsewhere = new ConversationHead(head.conversationKey(), head.agentName(), head.agentVersion(),
                head.lastSequence(), head.createdAt(), head.lastActivityAt(), head.regions(), head.version(),
                tenant("b"));

        Throwable moved = catchThrowable(() -> journal.compareAndSetHead(elsewhere, head.version()));

        assertThat(moved).isInstanceOf(JournalException.class).hasMessageContaining(key("c"))
                .hasMessageContaining(tenant).hasMessageContaining(tenant("b"));
        assertThat(journal.head(key("c")).orElseThrow().tenant()).isEqualTo(tenant);
        assertThat(journal.head(key("c")).orElseThrow().version()).isEqualTo(head.version());
    }

    @Test
    void listingByTenantHoldsThatTenantsConversationsOnlyOnEveryPage() {
        String a = tenant("a");
        String b = tenant("b");
        Instant base = now();
        for (int i = 0; i < 5; i++) {
            journal.compareAndSetHead(ConversationHead.start(i % 2 == 0 ? a : b, key("c" + i), AGENT, null,
                    base.plusSeconds(i)), 0).orElseThrow();
        }
        create(key("default"));

        List<ConversationSummary> ofA = eventually(() -> listTenant(a, 2), list -> list.size() >= 3);
        List<ConversationSummary> ofB = eventually(() -> listTenant(b, 1), list -> list.size() >= 2);

        assertThat(ofA).extracting(ConversationSummary::conversationKey)
                .containsExactly(key("c4"), key("c2"), key("c0"));
        assertThat(ofA).extracting(ConversationSummary::tenant).containsOnly(a);
        assertThat(ofB).extracting(ConversationSummary::conversationKey).containsExactly(key("c3"), key("c1"));
        assertThat(listTenant(tenant("none"), 10)).isEmpty();
        assertThat(eventually(() -> ownKeys(listAll(100)), keys -> keys.size() >= 6)).hasSize(6);
        assertThat(listAll(100)).filteredOn(s -> s.conversationKey().equals(key("c1")))
                .extracting(ConversationSummary::tenant).containsExactly(b);
    }

    @Test
    void aTenantsViewCannotReadWriteListOrRecoverAnotherTenantsConversation() {
        String a = tenant("a");
        TurnJournal ofA = TenantScopedJournal.of(journal, a);
        TurnJournal ofB = TenantScopedJournal.of(journal, tenant("b"));
        ofA.compareAndSetHead(ConversationHead.start(a, key("c"), AGENT, AGENT_VERSION, now()), 0).orElseThrow();
        ofA.append(pending(key("c"), 1, "tenant a's secret"));
        ofA.commit(key("c"), 1, outcome("answer for a", "resp_1"));
        ofA.append(pending(key("c"), 2, "tenant a's pending question"));

        assertThat(ofB.head(key("c"))).isEmpty();
        assertThat(ofB.read(key("c"), 1)).isEmpty();
        assertThat(ofB.turn(key("c"), 1)).isEmpty();
        assertThat(ofB.pendingTurns()).noneMatch(t -> t.conversationKey().equals(key("c")));
        assertThat(ofB.listConversations(null, 100).items()).isEmpty();
        assertThat(catchThrowable(() -> ofB.append(pending(key("c"), 3, "b writes into a"))))
                .isInstanceOf(JournalException.class).hasMessageContaining(key("c")).hasMessageContaining(tenant("b"));
        assertThat(catchThrowable(() -> ofB.commit(key("c"), 2, outcome("b answers for a", "resp_2"))))
                .isInstanceOf(JournalException.class).hasMessageContaining(tenant("b"));
        assertThat(catchThrowable(() -> ofB.discardPending(key("c"), 2)))
                .isInstanceOf(JournalException.class).hasMessageContaining(tenant("b"));
        assertThat(catchThrowable(() -> ofB.compareAndSetHead(
                ConversationHead.start(tenant("b"), key("c"), AGENT, AGENT_VERSION, now()), 0)))
                .as("b cannot take a's key").isInstanceOf(JournalException.class).hasMessageContaining("taken");
        assertThat(catchThrowable(() -> ofB.listTenantConversations(a, null, 10)))
                .isInstanceOf(IllegalArgumentException.class);

        Turn pendingOfA = journal.turn(key("c"), 2).orElseThrow();
        assertThat(pendingOfA.status()).as("b's commit and discard wrote nothing").isEqualTo(TurnStatus.PENDING);
        assertThat(journal.turn(key("c"), 3)).isEmpty();
        assertThat(ofA.read(key("c"), 1)).extracting(Turn::sequence).containsExactly(1L, 2L);
        assertThat(eventually(() -> ofA.pendingTurns(), p -> !p.isEmpty())).extracting(Turn::conversationKey)
                .containsExactly(key("c"));
        assertThat(eventually(() -> ofA.listConversations(null, 100).items(), items -> !items.isEmpty()))
                .extracting(ConversationSummary::conversationKey).containsExactly(key("c"));
    }

    @Test
    void aTenantsViewCannotDeleteOrForgetAnotherTenantsConversation() {
        String a = tenant("a");
        TurnJournal ofA = TenantScopedJournal.of(journal, a);
        TurnJournal ofB = TenantScopedJournal.of(journal, tenant("b"));
        ofA.compareAndSetHead(ConversationHead.start(a, key("kept"), AGENT, AGENT_VERSION, now()), 0).orElseThrow();
        ofA.append(pending(key("kept"), 1, "tenant a's secret"));

        assertThat(catchThrowable(() -> ofB.deleteConversation(key("kept"), TurnJournal.ANY_VERSION)))
                .isInstanceOf(JournalException.class).hasMessageContaining(key("kept")).hasMessageContaining(tenant("b"));
        assertThat(catchThrowable(() -> ofB.putTombstone(new Tombstone(key("kept"), now(), Map.of()))))
                .isInstanceOf(JournalException.class).hasMessageContaining(tenant("b"));
        assertThat(journal.tombstone(key("kept"))).as("b's refused forget left no tombstone").isEmpty();
        assertThat(ofA.read(key("kept"), 1)).extracting(Turn::sequence).containsExactly(1L);

        ofA.putTombstone(new Tombstone(key("kept"), now(), Map.of()));
        assertThat(ofA.deleteConversation(key("kept"), TurnJournal.ANY_VERSION)).isTrue();
        assertThat(journal.head(key("kept"))).isEmpty();
        assertThat(ofB.tombstone(key("kept"))).as("a forgotten key stays taken for every tenant").isPresent();
    }

    // ------------------------------------------------------------------------------------ durability

    @Test
    void everythingWrittenIsThereAfterReopening() throws Exception {
        create(key("a"));
        ConversationHead createdB = create(key("b"));
        Turn a1 = pending(key("a"), 1, "one");
        Turn a2 = pending(key("a"), 2, "two");
        journal.append(a1);
        journal.commit(key("a"), 1, outcome("reply one", "resp_1"));
        journal.append(a2);
        ConversationHead b = journal.compareAndSetHead(
                createdB.withRegion("eastus", new RegionCursor("conv_east_b", 0)), createdB.version()).orElseThrow();
        ConversationHead a = journal.head(key("a")).orElseThrow();

        journal = reopen(journal);

        assertThat(journal.read(key("a"), 1)).containsExactly(a1.committed(outcome("reply one", "resp_1")), a2);
        assertThat(journal.head(key("a"))).contains(a);
        assertThat(journal.head(key("b"))).contains(b);
        assertThat(eventually(this::ownPendingTurns, turns -> turns.contains(a2))).containsExactly(a2);
        assertThat(journal.append(a2)).isEqualTo(AppendResult.ALREADY_PRESENT);
        assertThat(journal.commit(key("a"), 2, outcome("reply two", "resp_2"))).isEqualTo(AppendResult.WRITTEN);
        assertThat(journal.append(pending(key("a"), 3, "three"))).isEqualTo(AppendResult.WRITTEN);
        assertThat(journal.head(key("a")).orElseThrow().lastSequence()).isEqualTo(3);
    }

    // ------------------------------------------------------------------------------------ work leases

    @Test
    void aWorkLeaseIsCreatedOnceAndEachWriteNeedsTheStoredVersion() {
        WorkLeases leases = journal.workLeases();
        String scope = "contract/" + run + "/cas";
        Instant until = Instant.parse("2026-12-02T08:00:00.123456789Z");
        assertThat(leases.get(scope, "chunk-1")).isEmpty();

        WorkLease created = leases.compareAndSet(WorkLease.create(scope, "chunk-1", "instance-a", until,
                "{\"keys\":[\"k1\",\"k2\"]}"), 0).orElseThrow();
        assertThat(created.version()).isEqualTo(1);
        assertThat(leases.compareAndSet(WorkLease.create(scope, "chunk-1", "instance-b", until, "{}"), 0))
                .as("created once").isEmpty();
        assertThat(leases.get(scope, "chunk-1")).contains(created);

        WorkLease renewed = leases.compareAndSet(created.heldBy("instance-a", until.plusSeconds(30)), 1).orElseThrow();
        assertThat(renewed.version()).isEqualTo(2);
        assertThat(renewed.expiresAt()).isEqualTo(until.plusSeconds(30));
        assertThat(leases.compareAndSet(created.heldBy("instance-b", until), 1)).as("stale version").isEmpty();
        assertThat(leases.get(scope, "chunk-1").orElseThrow().owner()).isEqualTo("instance-a");
    }

    @Test
    void ofInstancesRacingForAnExpiredWorkLeaseExactlyOneTakesIt() throws Exception {
        WorkLeases leases = journal.workLeases();
        String scope = "contract/" + run + "/race";
        WorkLease expired = leases.compareAndSet(WorkLease.create(scope, "chunk-1", "crashed", Instant.EPOCH, "{}"), 0)
                .orElseThrow();
        List<Attempt<Optional<WorkLease>>> attempts = race(RACERS, i -> () -> leases.compareAndSet(
                expired.heldBy("instance-" + i, Instant.parse("2030-01-01T00:00:00Z")), expired.version()));
        assertThat(attempts).extracting(Attempt::error).containsOnlyNulls();
        List<WorkLease> won = attempts.stream().flatMap(a -> a.result().stream()).toList();
        assertThat(won).hasSize(1);
        String winner = won.get(0).owner();
        assertThat(leases.get(scope, "chunk-1").orElseThrow().owner()).isEqualTo(winner);
    }

    @Test
    void workLeasesAreListedByScopeInNameOrderAndSurviveAReopen() throws Exception {
        String scope = "contract/" + run + "/list";
        String state = "x".repeat(WorkLeases.MAX_STATE_CHARS);
        for (String name : List.of("chunk-000000002", "run", "chunk-000000001")) {
            journal.workLeases().compareAndSet(WorkLease.create(scope, name, "a", Instant.EPOCH,
                    name.equals("run") ? state : "{}"), 0).orElseThrow();
        }
        journal.workLeases().compareAndSet(WorkLease.create(scope + "/other", "chunk-000000001", "a", Instant.EPOCH,
                "{}"), 0).orElseThrow();
        journal = reopen(journal);
        assertThat(journal.workLeases().list(scope)).extracting(WorkLease::name)
                .containsExactly("chunk-000000001", "chunk-000000002", "run");
        assertThat(journal.workLeases().get(scope, "run").orElseThrow().state()).isEqualTo(state);
        assertThat(journal.workLeases().list("contract/" + run + "/none")).isEmpty();
        assertThatThrownBy(() -> journal.workLeases().compareAndSet(WorkLease.create(scope, "big", "a", Instant.EPOCH,
                state + "x"), 0)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("big");
    }

    @Test
    void aWorkLeaseIsDeletedOnlyAtItsStoredVersionAndCanThenBeCreatedAgain() throws Exception {
        WorkLeases leases = journal.workLeases();
        String scope = "contract/" + run + "/delete";
        WorkLease kept = leases.compareAndSet(WorkLease.create(scope, "chunk-000000002", "a", Instant.EPOCH, "{}"), 0)
                .orElseThrow();
        WorkLease lease = leases.compareAndSet(WorkLease.create(scope, "chunk-000000001", "a", Instant.EPOCH, "{}"), 0)
                .orElseThrow();
        lease = leases.compareAndSet(lease.withState("{\"done\":true}"), 1).orElseThrow();

        assertThat(leases.compareAndDelete(scope, "chunk-000000001", 1)).as("stale version").isFalse();
        assertThat(leases.compareAndDelete(scope, "chunk-000000009", 1)).as("none stored").isFalse();
        assertThat(leases.compareAndDelete(scope + "/other", "chunk-000000001", 2)).as("another scope").isFalse();
        assertThat(leases.get(scope, "chunk-000000001")).contains(lease);

        assertThat(leases.compareAndDelete(scope, "chunk-000000001", 2)).isTrue();
        assertThat(leases.get(scope, "chunk-000000001")).isEmpty();
        assertThat(leases.compareAndDelete(scope, "chunk-000000001", 2)).as("deleted once").isFalse();
        assertThat(leases.compareAndSet(lease.heldBy("b", Instant.EPOCH), 2)).as("no write to a deleted lease")
                .isEmpty();
        journal = reopen(journal);
        leases = journal.workLeases();
        assertThat(leases.list(scope)).containsExactly(kept);
        assertThat(leases.compareAndSet(WorkLease.create(scope, "chunk-000000001", "c", Instant.EPOCH, "{}"), 0)
                .orElseThrow().version()).as("created again from version 0").isEqualTo(1);
        assertThatThrownBy(() -> journal.workLeases().compareAndDelete(scope, "chunk-000000001", 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("chunk-000000001");
    }

    @Test
    void ofAnInstanceDeletingAWorkLeaseAndOthersWritingItExactlyOneSucceeds() throws Exception {
        WorkLeases leases = journal.workLeases();
        String scope = "contract/" + run + "/delete-race";
        WorkLease stored = leases.compareAndSet(WorkLease.create(scope, "chunk-1", "a", Instant.EPOCH, "{}"), 0)
                .orElseThrow();
        List<Attempt<Boolean>> attempts = race(RACERS, i -> () -> i % 2 == 0
                ? leases.compareAndDelete(scope, "chunk-1", stored.version())
                : leases.compareAndSet(stored.heldBy("instance-" + i, Instant.EPOCH), stored.version()).isPresent());
        assertThat(attempts).extracting(Attempt::error).containsOnlyNulls();
        assertThat(attempts).extracting(Attempt::result).containsOnlyOnce(true);
        int winner = 0;
        while (!attempts.get(winner).result()) {
            winner++;
        }
        if (winner % 2 == 0) {
            assertThat(leases.get(scope, "chunk-1")).as("deleted").isEmpty();
        } else {
            assertThat(leases.get(scope, "chunk-1").orElseThrow().owner()).isEqualTo("instance-" + winner);
        }
    }

    @Test
    void theListingWalksManyConversationsPageByPageEachOnce() {
        Set<String> keys = new HashSet<>();
        for (int i = 0; i < 250; i++) {
            String key = key("many-" + i);
            keys.add(key);
            assertThat(journal.compareAndSetHead(ConversationHead.start(key, AGENT, AGENT_VERSION,
                    STARTED.plusMillis(i % 7)), 0)).isPresent();
        }
        List<String> listed = eventually(() -> {
            List<String> all = new ArrayList<>();
            String token = null;
            do {
                Page<ConversationSummary> page = journal.listConversations(token, 16);
                assertThat(page.items()).hasSizeLessThanOrEqualTo(16);
                page.items().stream().map(ConversationSummary::conversationKey).filter(keys::contains)
                        .forEach(all::add);
                token = page.continuationToken();
            } while (token != null);
            return all;
        }, all -> all.size() >= keys.size());
        assertThat(listed).doesNotHaveDuplicates().containsExactlyInAnyOrderElementsOf(keys);
    }

    // --------------------------------------------------------------------------------------- helpers

    /** A conversation key unique to this test instance. */
    protected final String key(String name) {
        return "contract-" + run + "-" + name;
    }

    /** A tenant id of this test run (tenants, like keys, never collide across tests). */
    protected final String tenant(String name) {
        return "tenant-" + run + "-" + name;
    }

    /** Every conversation of {@code tenant}, walking all pages of at most {@code pageSize}. */
    private List<ConversationSummary> listTenant(String tenant, int pageSize) {
        List<ConversationSummary> all = new ArrayList<>();
        String token = null;
        do {
            Page<ConversationSummary> page = journal.listTenantConversations(tenant, token, pageSize);
            assertThat(page.items().size()).as("items on a page of size %d", pageSize).isLessThanOrEqualTo(pageSize);
            all.addAll(page.items());
            token = page.continuationToken();
        } while (token != null);
        return all;
    }

    // ------------------------------------------------------------- retention and erasure (issue 15)

    @Test
    void deletingAConversationRemovesItsHeadAndEveryTurnButNoOther() {
        String key = key("gone");
        create(key);
        journal.append(pending(key, 1, "one"));
        journal.commit(key, 1, outcome("a1", "resp_1"));
        journal.append(pending(key, 2, "two"));
        create(key("kept"));
        journal.append(pending(key("kept"), 1, "other"));

        assertThat(journal.deleteConversation(key, TurnJournal.ANY_VERSION)).isTrue();

        assertThat(journal.head(key)).isEmpty();
        assertThat(journal.read(key, 1)).isEmpty();
        assertThat(journal.turn(key, 1)).isEmpty();
        assertThat(ownKeys(eventually(() -> listAll(100), all -> !ownKeys(all).contains(key))))
                .containsExactly(key("kept"));
        assertThat(eventually(this::ownPendingTurns, turns -> turns.size() == 1))
                .extracting(Turn::conversationKey).containsExactly(key("kept"));
        assertThat(journal.read(key("kept"), 1)).hasSize(1);
        assertThat(journal.deleteConversation(key, TurnJournal.ANY_VERSION)).isFalse();
    }

    @Test
    void deletingAtAStaleVersionLeavesTheConversationWhole() {
        String key = key("active");
        ConversationHead head = create(key);
        journal.append(pending(key, 1, "one"));

        assertThat(journal.deleteConversation(key, head.version())).isFalse();

        assertThat(journal.head(key)).isPresent();
        assertThat(journal.read(key, 1)).hasSize(1);
        long current = journal.head(key).orElseThrow().version();
        assertThat(journal.deleteConversation(key, current)).isTrue();
        assertThat(journal.head(key)).isEmpty();
        assertThat(journal.read(key, 1)).isEmpty();
    }

    @Test
    void aDeletedConversationWithoutATombstoneCanBeStartedAgainFromNothing() {
        String key = key("again");
        create(key);
        journal.append(pending(key, 1, "old"));
        journal.deleteConversation(key, TurnJournal.ANY_VERSION);

        ConversationHead fresh = create(key);

        assertThat(fresh.lastSequence()).isZero();
        assertThat(journal.append(pending(key, 1, "new"))).isEqualTo(AppendResult.WRITTEN);
        assertThat(journal.read(key, 1)).extracting(t -> t.input().get(0).text()).containsExactly("new");
    }

    @Test
    void aTombstoneRefusesToStartTheConversationAgainNamingTheKey() throws Exception {
        String key = key("forgotten");
        create(key);
        Tombstone tombstone = new Tombstone(key, now(), Map.of("eastus", "conv_1"));
        journal.putTombstone(tombstone);
        journal.deleteConversation(key, TurnJournal.ANY_VERSION);
        journal = reopen(journal);

        assertThat(journal.tombstone(key)).contains(tombstone);
        assertThat(journal.tombstone(key("never"))).isEmpty();
        assertThatThrownBy(() -> journal.compareAndSetHead(ConversationHead.start(key, AGENT, null, now()), 0))
                .isInstanceOf(ConversationForgottenException.class).hasMessageContaining(key)
                .hasMessageContaining("forgotten");
        assertThatThrownBy(() -> journal.append(pending(key, 1, "again"))).isInstanceOf(JournalException.class);
        assertThat(journal.head(key)).isEmpty();
    }

    @Test
    void pendingTombstonesListOnlyThoseWithRegionsLeftAndSurviveAReopen() throws Exception {
        Instant at = now();
        journal.putTombstone(new Tombstone(key("dirty"), at, Map.of("eastus", "conv_1", "westus", "conv_2")));
        journal.putTombstone(new Tombstone(key("clean"), at, Map.of()));
        journal.putTombstone(new Tombstone(key("dirty"), at, Map.of("eastus", "conv_1")));
        journal = reopen(journal);

        List<Tombstone> pending = eventually(this::ownPendingTombstones,
                list -> list.size() == 1 && list.get(0).pendingRegions().size() == 1);
        assertThat(pending).containsExactly(new Tombstone(key("dirty"), at, Map.of("eastus", "conv_1")));

        journal.putTombstone(pending.get(0).withRegionErased("eastus"));
        assertThat(eventually(this::ownPendingTombstones, List::isEmpty)).isEmpty();
        assertThat(journal.tombstone(key("dirty")).orElseThrow().clean()).isTrue();
    }

    private List<Tombstone> ownPendingTombstones() {
        String prefix = key("");
        return journal.pendingTombstones().stream().filter(t -> t.conversationKey().startsWith(prefix)).toList();
    }

    /** Polls {@code read} until {@code done} holds or {@link #listingLag()} has passed; returns the last value. */
    protected final <T> T eventually(Supplier<T> read, Predicate<T> done) {
        long deadline = System.nanoTime() + listingLag().toNanos();
        T value = read.get();
        while (!done.test(value) && System.nanoTime() - deadline < 0) {
            LockSupport.parkNanos(POLL_INTERVAL_NANOS);
            value = read.get();
        }
        return value;
    }

    private ConversationHead create(String key) {
        return journal.compareAndSetHead(ConversationHead.start(key, AGENT, AGENT_VERSION, now()), 0)
                .orElseThrow(() -> new AssertionError("conversation " + key + " already exists"));
    }

    private static Instant now() {
        return Instant.now().truncatedTo(ChronoUnit.MILLIS);
    }

    private static Turn pending(String key, long sequence, String text) {
        return Turn.pending(key, sequence, AGENT, AGENT_VERSION, List.of(TurnItem.userMessage(text)),
                STARTED.plusSeconds(sequence));
    }

    private static TurnOutcome outcome(String text, String responseId) {
        return new TurnOutcome(List.of(TurnItem.assistantMessage(text)), responseId, "eastus",
                new TokenUsage(42, 7, 49), COMPLETED);
    }

    private static ConversationHead withActivity(ConversationHead head, Instant activity) {
        return head.with(head.lastSequence(), head.createdAt(), activity, head.regions(), head.version());
    }

    private static void assertSameHeadFields(ConversationHead actual, ConversationHead expected) {
        assertThat(actual.conversationKey()).isEqualTo(expected.conversationKey());
        assertThat(actual.agentName()).isEqualTo(expected.agentName());
        assertThat(actual.agentVersion()).isEqualTo(expected.agentVersion());
        assertThat(actual.lastSequence()).isEqualTo(expected.lastSequence());
        assertThat(actual.createdAt()).isEqualTo(expected.createdAt());
        assertThat(actual.lastActivityAt()).isEqualTo(expected.lastActivityAt());
        assertThat(actual.regions()).isEqualTo(expected.regions());
    }

    private static void assertConflict(Throwable thrown, String key, long sequence) {
        assertThat(thrown).isInstanceOf(TurnConflictException.class)
                .hasMessageContaining(key).hasMessageContaining(String.valueOf(sequence));
        TurnConflictException conflict = (TurnConflictException) thrown;
        assertThat(conflict.conversationKey()).isEqualTo(key);
        assertThat(conflict.sequence()).isEqualTo(sequence);
    }

    /** Every conversation the journal lists, walking all pages of at most {@code pageSize}. */
    private List<ConversationSummary> listAll(int pageSize) {
        List<ConversationSummary> all = new ArrayList<>();
        Set<String> tokens = new HashSet<>();
        String token = null;
        do {
            Page<ConversationSummary> page = journal.listConversations(token, pageSize);
            assertThat(page.items().size()).as("items on a page of size %d", pageSize).isLessThanOrEqualTo(pageSize);
            all.addAll(page.items());
            token = page.continuationToken();
            assertThat(token == null || tokens.add(token)).as("continuation token %s repeats", token).isTrue();
        } while (token != null);
        return all;
    }

    private List<String> ownKeys(List<ConversationSummary> summaries) {
        String prefix = key("");
        return summaries.stream().map(ConversationSummary::conversationKey).filter(k -> k.startsWith(prefix))
                .toList();
    }

    private List<Turn> ownPendingTurns() {
        String prefix = key("");
        return journal.pendingTurns().stream().filter(t -> t.conversationKey().startsWith(prefix))
                .collect(Collectors.toList());
    }

    /** Runs {@code count} tasks at once (released together) and returns each one's result or error. */
    private static <T> List<Attempt<T>> race(int count, IntFunction<Callable<T>> task) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(count);
        try {
            CountDownLatch ready = new CountDownLatch(count);
            CountDownLatch go = new CountDownLatch(1);
            List<Future<Attempt<T>>> futures = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                Callable<T> callable = task.apply(i);
                futures.add(pool.submit(() -> {
                    ready.countDown();
                    go.await();
                    try {
                        return new Attempt<>(callable.call(), null);
                    } catch (Exception | AssertionError e) {
                        return new Attempt<>(null, e);
                    }
                }));
            }
            assertThat(ready.await(30, TimeUnit.SECONDS)).as("racers ready").isTrue();
            go.countDown();
            List<Attempt<T>> attempts = new ArrayList<>();
            for (Future<Attempt<T>> future : futures) {
                attempts.add(future.get(60, TimeUnit.SECONDS));
            }
            return attempts;
        } finally {
            pool.shutdownNow();
        }
    }

    /** One racer's result or error. */
    private record Attempt<T>(T result, Throwable error) {
    }
}
