package dev.continuity.validation.internal;

import dev.continuity.agentservice.AgentReference;
import dev.continuity.agentservice.AgentReply;
import dev.continuity.agentservice.AgentService;
import dev.continuity.agentservice.StoredItem;
import dev.continuity.journal.ConversationHead;
import dev.continuity.journal.RegionCursor;
import dev.continuity.journal.Turn;
import dev.continuity.journal.TurnItem;
import dev.continuity.journal.TurnJournal;
import dev.continuity.replay.FailureReason;
import dev.continuity.replay.internal.Alignment;
import dev.continuity.replay.internal.ItemFingerprint;
import dev.continuity.replay.internal.JournalHistory;
import dev.continuity.replay.internal.ReplayPlan;
import dev.continuity.replay.internal.ReplayRun;
import dev.continuity.replay.internal.ServiceRetry;
import dev.continuity.validation.RecallCheck;
import dev.continuity.validation.ValidationOptions;
import dev.continuity.validation.ValidationProblem;
import dev.continuity.validation.ValidationReport;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The validation phase: a probe turn per agent in a dedicated probe conversation, and for a sample of
 * replayed conversations a comparison of the region's items with the journal plus, when a
 * {@link dev.continuity.validation.RecallProbe} is set, a recall question asked in a probe copy. Never
 * writes into a user's conversation.
 */
public final class Validator {

    /** Metadata key marking probe conversations; value {@code agent} or {@code recall}. */
    public static final String PROBE_METADATA = "continuity-probe";

    private static final Logger LOG = LoggerFactory.getLogger(Validator.class);

    private final TurnJournal journal;
    private final AgentService target;
    private final ValidationOptions options;
    private final ServiceRetry retry;
    private final int maxItemsPerCall;
    private final List<ValidationProblem> problems = new ArrayList<>();
    private int agentsProbed;
    private int agentsPassed;
    private int sampled;
    private int matched;
    private int unverified;
    private int recallChecks;
    private int recallPassed;
    private int calls;
    private final List<String> probeConversations = new ArrayList<>();

    /** A validator for {@code target}. */
    public Validator(TurnJournal journal, AgentService target, ValidationOptions options, ServiceRetry retry,
            int maxItemsPerCall) {
        this.journal = journal;
        this.target = target;
        this.options = options;
        this.retry = retry;
        this.maxItemsPerCall = maxItemsPerCall;
    }

    /**
     * Probes each agent, then checks the first {@code sampleSize} of {@code replayedKeys}; the other
     * {@code replayed - sampled} are counted as not sampled.
     *
     * @param replayedKeys the first replayed conversations (at least {@code sampleSize} of them when there are)
     * @param replayed how many conversations were replayed in all
     */
    public ValidationReport run(List<String> agents, List<String> replayedKeys, long replayed) {
        if (options.probeAgents()) {
            for (String agent : agents) {
                if (Thread.currentThread().isInterrupted()) {
                    break;
                }
                probeAgent(agent);
            }
        }
        for (String key : replayedKeys.subList(0, Math.min(options.sampleSize(), replayedKeys.size()))) {
            if (Thread.currentThread().isInterrupted()) {
                break;
            }
            checkConversation(key);
        }
        return new ValidationReport(agentsProbed, agentsPassed, sampled, matched, unverified,
                (int) Math.min(Integer.MAX_VALUE, replayed - sampled), recallChecks, recallPassed, calls, problems);
    }

    private void probeAgent(String agent) {
        agentsProbed++;
        try {
            Map<String, String> metadata = new LinkedHashMap<>();
            metadata.put(PROBE_METADATA, "agent");
            metadata.put(ReplayRun.AGENT_METADATA, agent);
            String conversation = call(() -> target.createConversation(List.of(), metadata));
            probeConversations.add(conversation);
            AgentReply reply = call(() -> target.respond(new AgentReference(agent, null), conversation,
                    List.of(TurnItem.userMessage(options.probeInput()))));
            if (reply.output().isEmpty()) {
                problems.add(new ValidationProblem(agent, FailureReason.VALIDATION_MISMATCH,
                        "agent '" + agent + "' in " + target.region() + " answered the probe with no output"));
            } else {
                agentsPassed++;
            }
        } catch (RuntimeException e) {
            problems.add(new ValidationProblem(agent, FailureReason.of(e), "probe turn to agent '" + agent + "' in "
                    + target.region() + " failed: " + e.getMessage()));
        }
    }

    /**
     * Compares the region's items with EVERY committed turn the journal holds for {@code key} (not only
     * those up to the region's cursor): a match is reported only when the region holds them all, in
     * order, and nothing else. A conversation that cannot be checked that way (its journal history breaks
     * an invariant, it has no conversation in the region, a read failed) is counted as not verified, with
     * a problem saying why.
     */
    private void checkConversation(String key) {
        sampled++;
        ConversationHead head;
        ReplayPlan all;
        try {
            JournalHistory history = JournalHistory.read(journal, key).orElse(null);
            if (history == null) {
                unverified(key, FailureReason.UNKNOWN_CONVERSATION, "conversation '" + key + "' is not verified: "
                        + "the journal has no conversation with this key");
                return;
            }
            if (!history.valid()) {
                unverified(key, FailureReason.INVALID_JOURNAL, "conversation '" + key + "' is not verified: its "
                        + "journal history breaks an invariant, so the region cannot be compared with it: "
                        + history.violation());
                return;
            }
            head = history.head();
            RegionCursor cursor = head.region(target.region());
            List<Turn> committed = history.committed();
            if (cursor == null) {
                unverified(key, FailureReason.VALIDATION_MISMATCH, "conversation '" + key + "' is not verified: "
                        + "it has no conversation in " + target.region() + " although " + committed.size()
                        + " of its turns are committed");
                return;
            }
            all = ReplayPlan.of(0, committed);
            List<StoredItem> stored = call(() -> target.listItems(cursor.conversationId()));
            List<String> region = ItemFingerprint.ofVisible(stored);
            Alignment alignment = Alignment.of(region, all.fingerprints(), List.of());
            if (!alignment.consistent() || alignment.trailing() > 0) {
                problems.add(new ValidationProblem(key, FailureReason.VALIDATION_MISMATCH, "conversation "
                        + cursor.conversationId() + " in " + target.region() + " does not hold the "
                        + all.size() + " items of the journal's " + committed.size() + " committed turns: "
                        + (alignment.consistent() ? alignment.trailing() + " items more" : alignment.problem())));
                return;
            }
            matched++;
        } catch (RuntimeException e) {
            unverified(key, FailureReason.of(e), "checking conversation '" + key + "' in " + target.region()
                    + " failed, so it is not verified: " + e.getMessage());
            return;
        }
        if (options.recallProbe() == null) {
            return;
        }
        try {
            recall(key, head, all);
        } catch (RuntimeException e) {
            problems.add(new ValidationProblem(key, FailureReason.of(e), "recall check of conversation '" + key
                    + "' in " + target.region() + " failed: " + e.getMessage()));
        }
    }

    private void unverified(String key, FailureReason reason, String message) {
        unverified++;
        problems.add(new ValidationProblem(key, reason, message));
    }

    private void recall(String key, ConversationHead head, ReplayPlan all) {
        List<TurnItem> items = all.items(0, all.size());
        Optional<RecallCheck> check = options.recallProbe().checkFor(key, items);
        if (check.isEmpty()) {
            return;
        }
        if (items.size() > options.maxForkItems()) {
            LOG.debug("conversation '{}' has {} items, more than {}: no recall check", key, items.size(),
                    options.maxForkItems());
            return;
        }
        recallChecks++;
        Map<String, String> metadata = new LinkedHashMap<>();
        metadata.put(PROBE_METADATA, "recall");
        metadata.put(ReplayRun.KEY_METADATA, ReplayRun.metadataKey(key));
        int end = all.nextChunkEnd(0, maxItemsPerCall);
        List<TurnItem> first = all.items(0, end);
        String copy = call(() -> target.createConversation(first, metadata));
        probeConversations.add(copy);
        int written = end;
        while (written < all.size()) {
            int from = written;
            int to = all.nextChunkEnd(from, maxItemsPerCall);
            call(() -> {
                target.addItems(copy, all.items(from, to));
                return null;
            });
            written = to;
        }
        AgentReply reply = call(() -> target.respond(new AgentReference(head.agentName(), head.agentVersion()), copy,
                List.of(TurnItem.userMessage(check.get().input()))));
        if (reply.text().contains(check.get().expected())) {
            recallPassed++;
        } else {
            problems.add(new ValidationProblem(key, FailureReason.VALIDATION_MISMATCH, "asked '"
                    + check.get().input() + "' in a probe copy in " + target.region() + ": expected '"
                    + check.get().expected() + "', got '" + reply.text() + "'"));
        }
    }

    /**
     * The probe conversations this validator created (agent probes and recall copies); nothing references
     * them once {@link #run} returned, so the rehydration's orphans phase deletes them.
     */
    public List<String> probeConversations() {
        return List.copyOf(probeConversations);
    }

    private <T> T call(Supplier<T> body) {
        // probe writes are not reconciled: a duplicate in a probe conversation harms nobody
        return retry.call(() -> {
            calls++;
            return body.get();
        });
    }
}
