package dev.continuity.agentservice;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.continuity.emulator.FaultRule;
import dev.continuity.foundry.FoundryAgentService;
import dev.continuity.journal.TurnItem;
import dev.continuity.rehydrate.TwoRegions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A region's conversations can be listed (the spec's {@code listConversations}, through the adapter's
 * azure-core pipeline: openai-java 4.6.1 has no such call), all pages, with their metadata and by the
 * agent that answered in them: what finds conversations nobody recorded.
 */
class RegionalConversationListingTest {

    private TwoRegions regions;
    private FoundryAgentService primary;

    @BeforeEach
    void start() {
        regions = new TwoRegions();
        primary = regions.service(TwoRegions.PRIMARY);
        primary.createAgentVersion("lister", "{\"kind\":\"prompt\",\"model\":\"" + TwoRegions.DEPLOYMENT + "\"}",
                Map.of(), null);
    }

    @AfterEach
    void stop() {
        regions.close();
    }

    @Test
    void everyConversationIsListedAcrossPagesWithItsMetadata() {
        List<String> created = new ArrayList<>();
        for (int i = 0; i < 105; i++) {
            created.add(primary.createConversation(List.of(), Map.of("continuity-key", "k" + i)));
        }
        List<RegionalConversation> listed = primary.listConversations(null);
        assertThat(listed).extracting(RegionalConversation::id).containsExactlyElementsOf(created);
        assertThat(listed.get(104).metadata()).containsEntry("continuity-key", "k104");
        assertThat(regions.count(TwoRegions.PRIMARY, "conversations.list")).isEqualTo(2);
        assertThat(regions.service(TwoRegions.SECONDARY).listConversations(null)).isEmpty();
    }

    @Test
    void theAgentFilterKeepsTheConversationsThatAgentAnsweredIn() {
        String answered = primary.createConversation(List.of(TurnItem.userMessage("hi")), Map.of());
        primary.createConversation(List.of(TurnItem.userMessage("never answered")), Map.of());
        primary.respond(new AgentReference("lister", null), answered, List.of());
        assertThat(primary.listConversations("lister")).extracting(RegionalConversation::id).containsExactly(answered);
        assertThat(primary.listConversations("nobody")).isEmpty();
    }

    @Test
    void aFailingRegionIsAnAgentServiceExceptionNamingIt() {
        regions.emulator.region(TwoRegions.PRIMARY).faults()
                .inject(FaultRule.httpError(400).onlyFor("GET", "/openai/conversations"));
        assertThatThrownBy(() -> primary.listConversations(null))
                .isInstanceOf(AgentServiceException.class)
                .hasMessageContaining(TwoRegions.PRIMARY)
                .hasMessageContaining("list conversations")
                .satisfies(e -> assertThat(((AgentServiceException) e).kind()).isEqualTo(AgentServiceException.Kind.BAD_REQUEST));
    }
}
