package dev.continuity.erasure;

import dev.continuity.agentservice.AgentService;
import dev.continuity.agentservice.AgentServiceException;
import dev.continuity.failover.FailoverEvent;
import dev.continuity.failover.FailoverListener;
import dev.continuity.journal.ConversationHead;
import dev.continuity.journal.RegionCursor;
import dev.continuity.journal.Tombstone;
import dev.continuity.journal.TurnJournal;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Forgets conversations (the right to erasure): {@link #forget} deletes a conversation from the journal and its
 * copy in every region the journal's head names (the spec's {@code DELETE /conversations/{id}}), after storing a
 * {@link Tombstone} in the journal. The tombstone makes the journal refuse the key for good, so the client, lazy
 * replay, eager rehydration, the warm standby and failback can never bring the conversation back; and it keeps
 * the regional copies still to delete (regions that were down), so that {@link #retryPending()} (or the
 * {@link FailoverListener} this class is, on {@link FailoverEvent.RegionUp}) finishes the job, also after a
 * restart.
 *
 * <p>Give it the journal the application uses (the {@code EncryptingTurnJournal} if encrypted) and a service for
 * every region. Region entries of the head whose name starts with {@code #} are the journal's own bookkeeping
 * (such as the encrypted journal's data key) and are not regions.
 *
 * <p>What it cannot erase: the Agent Service's own logs, backups and abuse-monitoring copies, conversations a
 * region holds that the journal never recorded (see the orphan listing of rehydration), and copies the
 * application made (exports, its own logs).
 */
public final class Eraser implements FailoverListener, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Eraser.class);

    private final TurnJournal journal;
    private final Map<String, AgentService> services;
    private final Clock clock;
    private final Consumer<ErasureReport> retryListener;
    private final ExecutorService retries = Executors.newSingleThreadExecutor(r -> {
        Thread thread = new Thread(r, "continuity-eraser");
        thread.setDaemon(true);
        return thread;
    });

    private Eraser(Builder builder) {
        this.journal = Objects.requireNonNull(builder.journal, "Eraser.builder(): journal(...) is required");
        this.services = Map.copyOf(builder.services);
        this.clock = builder.clock;
        this.retryListener = builder.retryListener;
    }

    /** A builder. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Forgets a conversation: stores its tombstone (with every regional copy the head names), deletes it from the
     * journal (head and every turn), then deletes each regional copy. A region that cannot be reached stays in the
     * tombstone and is retried by {@link #retryPending()}. Forgetting a key again retries what is left; forgetting
     * a key the journal does not hold still stores a tombstone, so it can never be used.
     *
     * @return what was erased where
     */
    public ErasureReport forget(String conversationKey) {
        Objects.requireNonNull(conversationKey, "conversationKey");
        Optional<Tombstone> earlier = journal.tombstone(conversationKey);
        Optional<ConversationHead> head = journal.head(conversationKey);
        Map<String, String> copies = new TreeMap<>(earlier.map(Tombstone::pendingRegions).orElse(Map.of()));
        head.ifPresent(h -> copies.putAll(regionalCopies(h)));
        Tombstone tombstone = new Tombstone(conversationKey,
                earlier.map(Tombstone::forgottenAt).orElseGet(clock::instant), copies);
        journal.putTombstone(tombstone); // first: from here on nothing can start the conversation again
        long turns = head.map(ConversationHead::lastSequence).orElse(0L);
        journal.deleteConversation(conversationKey, TurnJournal.ANY_VERSION);
        // a conversation started just before the tombstone was stored: delete it too, with its copies
        Optional<ConversationHead> late = journal.head(conversationKey);
        if (late.isPresent()) {
            copies.putAll(regionalCopies(late.get()));
            tombstone = new Tombstone(conversationKey, tombstone.forgottenAt(), copies);
            journal.putTombstone(tombstone);
            turns = Math.max(turns, late.get().lastSequence());
            journal.deleteConversation(conversationKey, TurnJournal.ANY_VERSION);
        }
        ErasureReport report = eraseRegions(tombstone, null, turns, head.isPresent());
        LOG.info("forgot conversation '{}': {} turns deleted from the journal; regions {}", conversationKey, turns,
                describe(report));
        return report;
    }

    /**
     * Retries every tombstone's regional copies still to delete (regions that were down when their conversation
     * was forgotten).
     *
     * @return one report per tombstone that was pending
     */
    public List<ErasureReport> retryPending() {
        return retry(null);
    }

    /** As {@link #retryPending()}, only for copies in {@code region} (when it came back). */
    public List<ErasureReport> retryPending(String region) {
        return retry(Objects.requireNonNull(region, "region"));
    }

    /** On {@link FailoverEvent.RegionUp}: retries that region's pending copies on the eraser's own thread. */
    @Override
    public void onEvent(FailoverEvent event) {
        if (event instanceof FailoverEvent.RegionUp up && services.containsKey(up.region())) {
            retryInBackground(up.region());
        }
    }

    /**
     * Starts {@link #retryPending()} on the eraser's own thread and returns at once (for example when a process
     * starts: copies a region outage left pending before a restart are retried without waiting for the region to go
     * down and up again).
     */
    public void retryPendingInBackground() {
        retryInBackground(null);
    }

    private void retryInBackground(String region) {
        try {
            retries.execute(() -> {
                try {
                    retry(region);
                } catch (RuntimeException e) {
                    LOG.warn("retrying erasures{} failed: {}", region == null ? "" : " in " + region, e.toString());
                }
            });
        } catch (RejectedExecutionException closed) {
            LOG.debug("eraser closed: not retrying erasures");
        }
    }

    /** Stops the retry thread (the tombstones stay in the journal: a new eraser continues). */
    @Override
    public void close() {
        retries.shutdownNow();
    }

    private List<ErasureReport> retry(String region) {
        List<ErasureReport> reports = new ArrayList<>();
        for (Tombstone tombstone : journal.pendingTombstones()) {
            if (region != null && !tombstone.pendingRegions().containsKey(region)) {
                continue;
            }
            // turns left without a head by an interrupted deletion go too
            journal.deleteConversation(tombstone.conversationKey(), TurnJournal.ANY_VERSION);
            ErasureReport report = eraseRegions(tombstone, region, 0, false);
            LOG.info("retried erasure of conversation '{}': regions {}", tombstone.conversationKey(),
                    describe(report));
            reports.add(report);
            if (retryListener != null) {
                retryListener.accept(report);
            }
        }
        return reports;
    }

    /** Deletes the tombstone's pending copies (only {@code region}'s when given) and stores what is left. */
    private ErasureReport eraseRegions(Tombstone tombstone, String region, long turns, boolean journalHadIt) {
        List<RegionErasure> results = new ArrayList<>();
        Tombstone left = tombstone;
        for (Map.Entry<String, String> copy : tombstone.pendingRegions().entrySet()) {
            if (region != null && !region.equals(copy.getKey())) {
                continue;
            }
            RegionErasure result = erase(copy.getKey(), copy.getValue());
            results.add(result);
            if (result.outcome() != RegionErasure.Outcome.PENDING) {
                left = left.withRegionErased(copy.getKey());
            }
        }
        if (!left.equals(tombstone)) {
            journal.putTombstone(left);
        }
        return new ErasureReport(tombstone.conversationKey(), tombstone.forgottenAt(), turns, journalHadIt, results);
    }

    private RegionErasure erase(String region, String conversationId) {
        AgentService service = services.get(region);
        if (service == null) {
            return new RegionErasure(region, conversationId, RegionErasure.Outcome.PENDING,
                    "no service configured for region '" + region + "' (regions: " + new TreeMap<>(services).keySet()
                            + ")");
        }
        try {
            return new RegionErasure(region, conversationId, service.deleteConversation(conversationId)
                    ? RegionErasure.Outcome.ERASED : RegionErasure.Outcome.ALREADY_GONE, null);
        } catch (AgentServiceException e) {
            LOG.warn("could not delete conversation {} in {} (retried later): {}", conversationId, region,
                    e.getMessage());
            return new RegionErasure(region, conversationId, RegionErasure.Outcome.PENDING, e.getMessage());
        }
    }

    /**
     * The head's regional copies: region to conversation id, without the entries a journal reserves for its own
     * bookkeeping (names starting with {@code #}, such as the encrypted journal's data key).
     */
    public static Map<String, String> regionalCopies(ConversationHead head) {
        Map<String, String> copies = new LinkedHashMap<>();
        for (Map.Entry<String, RegionCursor> entry : head.regions().entrySet()) {
            if (!entry.getKey().startsWith("#")) {
                copies.put(entry.getKey(), entry.getValue().conversationId());
            }
        }
        return copies;
    }

    private static String describe(ErasureReport report) {
        List<String> parts = new ArrayList<>();
        for (RegionErasure r : report.regions()) {
            parts.add(r.region() + "=" + r.outcome() + (r.detail() == null ? "" : " (" + r.detail() + ")"));
        }
        return parts.isEmpty() ? "none" : String.join(", ", parts);
    }

    /** Builds an {@link Eraser}. */
    public static final class Builder {
        private TurnJournal journal;
        private final Map<String, AgentService> services = new LinkedHashMap<>();
        private Clock clock = Clock.systemUTC();
        private Consumer<ErasureReport> retryListener;

        private Builder() {
        }

        /** The journal the application uses (required; the encrypting journal if the journal is encrypted). */
        public Builder journal(TurnJournal journal) {
            this.journal = Objects.requireNonNull(journal, "journal");
            return this;
        }

        /** A region's service (add every region a conversation may have a copy in). */
        public Builder region(AgentService service) {
            Objects.requireNonNull(service, "service");
            if (services.putIfAbsent(service.region(), service) != null) {
                throw new IllegalArgumentException("region '" + service.region() + "' is given twice");
            }
            return this;
        }

        /** The clock that stamps tombstones (default: system UTC). */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /** Called with each report of a retry (on the retrying thread), e.g. for an audit log. */
        public Builder retryListener(Consumer<ErasureReport> listener) {
            this.retryListener = listener;
            return this;
        }

        /** The eraser. */
        public Eraser build() {
            return new Eraser(this);
        }
    }
}
