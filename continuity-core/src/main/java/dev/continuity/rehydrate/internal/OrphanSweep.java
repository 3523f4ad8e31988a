package dev.continuity.rehydrate.internal;

import dev.continuity.agentservice.AgentService;
import dev.continuity.agentservice.RegionalConversation;
import dev.continuity.journal.ConversationHead;
import dev.continuity.journal.ConversationSummary;
import dev.continuity.journal.Page;
import dev.continuity.journal.RegionCursor;
import dev.continuity.journal.TurnJournal;
import dev.continuity.rehydrate.OrphanCleanup;
import dev.continuity.replay.internal.ReplayRun;
import dev.continuity.replay.internal.ServiceRetry;
import dev.continuity.validation.internal.Validator;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The orphans phase: lists the target region's conversations, keeps those Continuity created
 * ({@code continuity-source=replay} or {@code continuity-probe}) before the run started, reads the journal
 * heads AFTER the listing, and deletes every such conversation no head's cursor for the region names,
 * plus the probe conversations of this run. A replayed conversation is judged only by the head of the
 * key its metadata names: when the journal does not know that key the conversation is left alone (it may
 * be another journal's). Conversations created after the run started are left for a later run: they may
 * be another process's creates whose cursor is not written yet.
 */
public final class OrphanSweep {

    private static final Logger LOG = LoggerFactory.getLogger(OrphanSweep.class);
    private static final String HASHED_KEY_PREFIX = "sha256:";

    private final TurnJournal journal;
    private final AgentService target;
    private final ServiceRetry retry;
    private final int pageSize;
    private final List<String> problems = new ArrayList<>();
    private long failed;

    /** A sweep of {@code target}'s conversations against {@code journal}'s heads. */
    public OrphanSweep(TurnJournal journal, AgentService target, ServiceRetry retry, int pageSize) {
        this.journal = journal;
        this.target = target;
        this.retry = retry;
        this.pageSize = pageSize;
    }

    /**
     * Runs the sweep.
     *
     * @param startedEpochSecond the second the run started (the service's {@code created_at} is in
     *     seconds): only conversations created before it are judged
     * @param ownProbes probe conversations this run created, deleted whatever the listing says
     */
    public OrphanCleanup run(long startedEpochSecond, Collection<String> ownProbes) {
        String region = target.region();
        Set<String> orphans = new LinkedHashSet<>(ownProbes);
        List<RegionalConversation> listed;
        try {
            listed = retry.call(() -> target.listConversations(null));
        } catch (RuntimeException e) {
            problem("listing the conversations of " + region + " failed, no orphan was looked for: " + e.getMessage());
            return new OrphanCleanup(0, deleteAll(orphans), failed, problems);
        }
        Map<String, List<String>> replayedByKey = new LinkedHashMap<>();
        for (RegionalConversation conversation : listed) {
            Map<String, String> metadata = conversation.metadata();
            if (conversation.createdAt() >= startedEpochSecond) {
                continue;
            }
            if (metadata.containsKey(Validator.PROBE_METADATA)) {
                orphans.add(conversation.id());
            } else if ("replay".equals(metadata.get(ReplayRun.SOURCE_METADATA))
                    && metadata.get(ReplayRun.KEY_METADATA) != null) {
                replayedByKey.computeIfAbsent(metadata.get(ReplayRun.KEY_METADATA), k -> new ArrayList<>())
                        .add(conversation.id());
            }
        }
        // heads are read only now, after the listing: a cursor written before the listing is seen
        Map<String, String> hashedKeys = Map.of();
        if (replayedByKey.keySet().stream().anyMatch(k -> k.startsWith(HASHED_KEY_PREFIX))) {
            try {
                hashedKeys = hashedKeys();
            } catch (RuntimeException e) {
                problem("listing the journal's conversations failed, replayed conversations in " + region
                        + " with a hashed key were not judged: " + e.getMessage());
            }
        }
        for (Map.Entry<String, List<String>> entry : replayedByKey.entrySet()) {
            String metadataKey = entry.getKey();
            String key = metadataKey.startsWith(HASHED_KEY_PREFIX) ? hashedKeys.get(metadataKey) : metadataKey;
            if (key == null) {
                continue; // not this journal's conversation
            }
            Optional<ConversationHead> head;
            try {
                head = journal.head(key);
            } catch (RuntimeException e) {
                problem("reading the journal head of conversation '" + key + "' failed, its " + entry.getValue().size()
                        + " regional conversation(s) in " + region + " were not judged: " + e.getMessage());
                continue;
            }
            if (head.isEmpty()) {
                continue; // not this journal's conversation
            }
            RegionCursor cursor = head.get().region(region);
            for (String id : entry.getValue()) {
                if (cursor == null || !cursor.conversationId().equals(id)) {
                    orphans.add(id);
                }
            }
        }
        long cleaned = deleteAll(orphans);
        LOG.info("orphans in {}: {} conversations listed, {} deleted, {} failed", region, listed.size(), cleaned,
                failed);
        return new OrphanCleanup(listed.size(), cleaned, failed, problems);
    }

    /** The journal's keys too long for metadata, by the metadata value that stands for them. */
    private Map<String, String> hashedKeys() {
        Map<String, String> keys = new HashMap<>();
        String token = null;
        do {
            Page<ConversationSummary> page = journal.listConversations(token, pageSize);
            for (ConversationSummary summary : page.items()) {
                String metadataKey = ReplayRun.metadataKey(summary.conversationKey());
                if (metadataKey.startsWith(HASHED_KEY_PREFIX)) {
                    keys.put(metadataKey, summary.conversationKey());
                }
            }
            token = page.continuationToken();
        } while (token != null);
        return keys;
    }

    private long deleteAll(Collection<String> orphans) {
        long cleaned = 0;
        for (String id : orphans) {
            if (Thread.currentThread().isInterrupted()) {
                break;
            }
            try {
                if (retry.call(() -> target.deleteConversation(id))) {
                    cleaned++;
                    LOG.debug("deleted orphaned conversation {} in {}", id, target.region());
                }
            } catch (RuntimeException e) {
                problem("deleting orphaned conversation " + id + " in " + target.region() + " failed: " + e.getMessage());
            }
        }
        return cleaned;
    }

    private void problem(String message) {
        failed++;
        LOG.warn(message);
        if (problems.size() < OrphanCleanup.MAX_LISTED_PROBLEMS) {
            problems.add(message);
        }
    }
}
