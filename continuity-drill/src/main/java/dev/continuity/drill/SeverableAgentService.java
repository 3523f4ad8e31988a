package dev.continuity.drill;

import dev.continuity.agentservice.AgentReference;
import dev.continuity.agentservice.AgentReply;
import dev.continuity.agentservice.AgentService;
import dev.continuity.agentservice.AgentServiceException;
import dev.continuity.agentservice.DeployedAgentVersion;
import dev.continuity.agentservice.StoredItem;
import dev.continuity.journal.TurnItem;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;

/**
 * A region as the application sees it, behind a switch that cuts the application off from it. Against real
 * Foundry projects the drill cannot take a region down, so it partitions the application from the
 * primary instead: every call then fails as an unreachable region does. (With the emulator the drill
 * takes the region itself down and the switch stays off.) Every service of the region (the one serving
 * turns, the one its health probe reads through) is wrapped over the same switch.
 */
final class SeverableAgentService implements AgentService {
    private final AgentService region;
    private final AtomicBoolean severed;
    private final Runnable throttled;

    /**
     * @param region the region's service
     * @param severed the switch: while true every call but {@link #region()} fails
     * @param throttled told of every call the region answered 429 (throttled), as the application saw it
     */
    SeverableAgentService(AgentService region, AtomicBoolean severed, Runnable throttled) {
        this.region = region;
        this.severed = severed;
        this.throttled = throttled;
    }

    private <T> T call(Supplier<T> body) {
        if (severed.get()) {
            throw new AgentServiceException(region.region(), AgentServiceException.Kind.UNREACHABLE, 0, -1,
                    "the drill has partitioned the application from this region", null);
        }
        try {
            return body.get();
        } catch (AgentServiceException e) {
            if (e.kind() == AgentServiceException.Kind.THROTTLED) {
                throttled.run();
            }
            throw e;
        }
    }

    /** A stream open when the switch is thrown is cut at its next event: the request had been sent. */
    @Override
    public AgentReply respondStreaming(AgentReference agent, String conversationId, List<TurnItem> input,
            dev.continuity.agentservice.TurnOptions options,
            java.util.function.Consumer<dev.continuity.agentservice.ResponseEvent> events) {
        return call(() -> region.respondStreaming(agent, conversationId, input, options, event -> {
            if (severed.get()) {
                throw new AgentServiceException(region.region(), AgentServiceException.Kind.UNREACHABLE, 0, -1, true,
                        "the drill has partitioned the application from this region in the middle of a stream", null);
            }
            events.accept(event);
        }));
    }

    @Override
    public String region() {
        return region.region();
    }

    @Override
    public DeployedAgentVersion createAgentVersion(String agentName, String definitionJson, Map<String, String> metadata,
            String description) {
        return call(() -> region.createAgentVersion(agentName, definitionJson, metadata, description));
    }

    @Override
    public Optional<DeployedAgentVersion> latestAgentVersion(String agentName) {
        return call(() -> region.latestAgentVersion(agentName));
    }

    @Override
    public List<DeployedAgentVersion> listAgents() {
        return call(region::listAgents);
    }

    @Override
    public String createConversation(List<TurnItem> items, Map<String, String> metadata) {
        return call(() -> region.createConversation(items, metadata));
    }

    @Override
    public void addItems(String conversationId, List<TurnItem> items) {
        call(() -> {
            region.addItems(conversationId, items);
            return null;
        });
    }

    @Override
    public List<dev.continuity.agentservice.RegionalConversation> listConversations(String agentName) {
        return call(() -> region.listConversations(agentName));
    }

    @Override
    public boolean deleteConversation(String conversationId) {
        return call(() -> region.deleteConversation(conversationId));
    }

    @Override
    public List<StoredItem> listItems(String conversationId) {
        return call(() -> region.listItems(conversationId));
    }

    @Override
    public AgentReply respond(AgentReference agent, String conversationId, List<TurnItem> input,
            dev.continuity.agentservice.TurnOptions options) {
        return call(() -> region.respond(agent, conversationId, input, options));
    }

    @Override
    public Optional<AgentReply> response(String responseId) {
        return call(() -> region.response(responseId));
    }

    @Override
    public AgentReply cancelResponse(String responseId) {
        return call(() -> region.cancelResponse(responseId));
    }

    @Override
    public java.util.List<AgentReply> listResponses(String conversationId) {
        return call(() -> region.listResponses(conversationId));
    }
}
