package dev.continuity.emulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

/** The project's deployments and connections endpoints ({@code azure-ai-projects}' shapes), per region. */
class ProjectCatalogApiTest {

    @Test
    void deploymentsCarryModelVersionAndSkuPerRegion() {
        try (Emulator emulator = Emulator.builder().region("eastus2").region("centralus")
                .deployments("eastus2", "chat")
                .deployment("eastus2", "chat", "gpt-4.1", "2025-04-14", "GlobalStandard")
                .deployment("centralus", "chat", "gpt-4.1", "2024-11-20", "Standard")
                .start()) {
            Http east = Http.of(emulator.region("eastus2"));
            Http central = Http.of(emulator.region("centralus"));

            JsonNode eastList = east.get("/deployments?api-version=2025-05-15-preview").json();
            assertThat(eastList.get("value")).hasSize(1);
            assertThat(eastList.has("nextLink")).isFalse();
            JsonNode chat = eastList.at("/value/0");
            assertThat(chat.get("type").asText()).isEqualTo("ModelDeployment");
            assertThat(chat.get("name").asText()).isEqualTo("chat");
            assertThat(chat.get("modelName").asText()).isEqualTo("gpt-4.1");
            assertThat(chat.get("modelVersion").asText()).isEqualTo("2025-04-14");
            assertThat(chat.at("/sku/name").asText()).isEqualTo("GlobalStandard");

            // centralus keeps the default list and adds the declared deployment
            assertThat(emulator.region("centralus").deployments()).containsExactly("gpt-4.1-mini", "gpt-4o-mini", "chat");
            JsonNode centralChat = central.get("/deployments/chat").json();
            assertThat(centralChat.get("modelVersion").asText()).isEqualTo("2024-11-20");
            assertThat(centralChat.at("/sku/name").asText()).isEqualTo("Standard");
            JsonNode byName = central.get("/deployments/gpt-4o-mini").json();
            assertThat(byName.get("modelName").asText()).isEqualTo("gpt-4o-mini");
            assertThat(byName.get("modelVersion").asText()).isEqualTo("2025-04-14");
            assertThat(byName.at("/sku/name").asText()).isEqualTo("GlobalStandard");
            assertThat(central.get("/deployments?modelName=gpt-4.1").json().get("value")).hasSize(1);

            Http.Reply missing = east.get("/deployments/gpt-4o-mini");
            assertThat(missing.status()).isEqualTo(404);
            assertThat(missing.error().get("message").asText()).contains("gpt-4o-mini", "eastus2");

            assertThat(emulator.region("eastus2").operationCounts()).containsEntry("deployments.list", 1L)
                    .containsEntry("deployments.get", 1L);
            assertThat(emulator.region("centralus").operationCounts()).containsEntry("deployments.list", 1L)
                    .containsEntry("deployments.get", 2L);
        }
    }

    @Test
    void connectionsAreListedAndFetchedByName() {
        try (Emulator emulator = Emulator.builder().region("eastus2").region("centralus")
                .connection("eastus2", "search-east", "CognitiveSearch", "https://search-east.search.windows.net")
                .start()) {
            Http east = Http.of(emulator.region("eastus2"));
            JsonNode list = east.get("/connections").json();
            assertThat(list.get("value")).hasSize(1);
            JsonNode search = east.get("/connections/search-east").json();
            assertThat(search.get("name").asText()).isEqualTo("search-east");
            assertThat(search.get("type").asText()).isEqualTo("CognitiveSearch");
            assertThat(search.get("target").asText()).isEqualTo("https://search-east.search.windows.net");
            assertThat(search.get("id").asText()).endsWith("/connections/search-east");
            assertThat(east.get("/connections?connectionType=CustomKeys").json().get("value")).isEmpty();

            Http central = Http.of(emulator.region("centralus"));
            assertThat(central.get("/connections").json().get("value")).isEmpty();
            assertThat(central.get("/connections/search-east").status()).isEqualTo(404);
            assertThat(emulator.region("centralus").operationCounts()).containsEntry("connections.list", 1L)
                    .containsEntry("connections.get", 1L);
        }
    }

    @Test
    void catalogDeclarationsMustNameDeclaredRegionsAndNonBlankFields() {
        assertThatThrownBy(() -> Emulator.builder().region("a").connection("b", "c", "ApiKey", "https://x").start())
                .hasMessageContaining("connection(...) names region b");
        assertThatThrownBy(() -> Emulator.builder().region("a").deployment("a", "d", "m", " ", "Standard"))
                .hasMessageContaining("modelVersion of deployment d");
    }
}
