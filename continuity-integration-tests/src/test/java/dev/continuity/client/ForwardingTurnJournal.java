package dev.continuity.client;

import dev.continuity.journal.AppendResult;
import dev.continuity.journal.ConversationHead;
import dev.continuity.journal.ConversationSummary;
import dev.continuity.journal.Page;
import dev.continuity.journal.Turn;
import dev.continuity.journal.TurnJournal;
import dev.continuity.journal.TurnOutcome;
import java.util.List;
import java.util.Optional;

/** Passes every call to a real journal; tests override the calls they watch or interrupt. */
public abstract class ForwardingTurnJournal implements TurnJournal {

    private final TurnJournal real;

    protected ForwardingTurnJournal(TurnJournal real) {
        this.real = real;
    }

    @Override
    public AppendResult append(Turn turn) {
        return real.append(turn);
    }

    @Override
    public AppendResult commit(String conversationKey, long sequence, TurnOutcome outcome) {
        return real.commit(conversationKey, sequence, outcome);
    }

    @Override
    public AppendResult discardPending(String conversationKey, long sequence) {
        return real.discardPending(conversationKey, sequence);
    }

    @Override
    public List<Turn> read(String conversationKey, long fromSequence) {
        return real.read(conversationKey, fromSequence);
    }

    @Override
    public Optional<Turn> turn(String conversationKey, long sequence) {
        return real.turn(conversationKey, sequence);
    }

    @Override
    public Optional<ConversationHead> head(String conversationKey) {
        return real.head(conversationKey);
    }

    @Override
    public Optional<ConversationHead> compareAndSetHead(ConversationHead head, long expectedVersion) {
        return real.compareAndSetHead(head, expectedVersion);
    }

    @Override
    public Page<ConversationSummary> listConversations(String continuationToken, int pageSize) {
        return real.listConversations(continuationToken, pageSize);
    }

    @Override
    public List<Turn> pendingTurns() {
        return real.pendingTurns();
    }

    @Override
    public boolean deleteConversation(String conversationKey, long expectedVersion) {
        return real.deleteConversation(conversationKey, expectedVersion);
    }

    @Override
    public Optional<dev.continuity.journal.Tombstone> tombstone(String conversationKey) {
        return real.tombstone(conversationKey);
    }

    @Override
    public void putTombstone(dev.continuity.journal.Tombstone tombstone) {
        real.putTombstone(tombstone);
    }

    @Override
    public List<dev.continuity.journal.Tombstone> pendingTombstones() {
        return real.pendingTombstones();
    }

    @Override
    public void close() {
        real.close();
    }
}
