package dev.continuity.client;

import dev.continuity.agentservice.AgentService;
import dev.continuity.emulator.Emulator;
import dev.continuity.emulator.EmulatorBuilder;
import dev.continuity.foundry.FoundryAgentService;
import dev.continuity.foundry.FoundryCredentials;
import java.util.LinkedHashMap;
import java.util.Map;

/** The emulator with two regions and a real Foundry adapter for each, as the client tests use them. */
final class EmulatedRegions implements AutoCloseable {
    static final String PRIMARY = "eastus2";
    static final String SECONDARY = "centralus";
    static final String AGENT = "memo";
    static final String TOOL_AGENT = "tooly";

    final Emulator emulator;
    final Map<String, FoundryAgentService> services = new LinkedHashMap<>();

    EmulatedRegions() {
        EmulatorBuilder builder = Emulator.builder().region(PRIMARY).region(SECONDARY);
        emulator = builder.start();
        for (String region : new String[] {PRIMARY, SECONDARY}) {
            String endpoint = emulator.region(region).projectEndpoint();
            FoundryAgentService service = FoundryAgentService.connect(region, endpoint,
                    FoundryCredentials.forEndpoint(endpoint));
            services.put(region, service);
            deployAgents(service);
        }
    }

    static void deployAgents(AgentService service) {
        service.createAgentVersion(AGENT,
                "{\"kind\":\"prompt\",\"model\":\"gpt-4.1-mini\",\"instructions\":\"Remember what you are told.\"}",
                Map.of(), "memory agent");
        service.createAgentVersion(TOOL_AGENT,
                "{\"kind\":\"prompt\",\"model\":\"gpt-4o-mini\",\"instructions\":\"Use tools.\",\"tools\":[{\"type\":"
                        + "\"function\",\"name\":\"lookup\",\"parameters\":{\"type\":\"object\",\"properties\":{\"id\":"
                        + "{\"type\":\"integer\"}}}}]}",
                Map.of(), "tool agent");
    }

    FoundryAgentService service(String region) {
        return services.get(region);
    }

    /** The texts of the items of a conversation's copy in a region, in order (where the journal's head points). */
    java.util.List<String> texts(String region, dev.continuity.journal.TurnJournal journal, String key) {
        String conversationId = journal.head(key).orElseThrow().region(region).conversationId();
        return service(region).listItems(conversationId).stream().map(dev.continuity.agentservice.StoredItem::item)
                .map(dev.continuity.journal.TurnItem::text).toList();
    }

    long count(String region, String operation) {
        return emulator.region(region).operationCounts().getOrDefault(operation, 0L);
    }

    @Override
    public void close() {
        services.values().forEach(s -> s.clients().close());
        emulator.close();
    }
}
