package dev.continuity.emulator;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Regions share nothing: agents, conversations, items and responses of one are 404 in another. */
class RegionIsolationTest {

    @Test
    void stateCreatedInOneRegionIsUnknownInTheOther() {
        try (Emulator emulator = Emulator.builder().region("eastus2").region("centralus").start()) {
            Http east = Http.of(emulator.region("eastus2"));
            Http central = Http.of(emulator.region("centralus"));
            assertThat(emulator.region("eastus2").port()).isNotEqualTo(emulator.region("centralus").port());

            east.post("/agents/only-east/versions", "{\"definition\":{\"kind\":\"prompt\",\"model\":\"gpt-4o-mini\"}}");
            String conversation = east.post("/openai/conversations", "{\"items\":[{\"role\":\"user\",\"content\":\"hi\"}]}")
                    .json().get("id").asText();
            String item = east.get("/openai/conversations/" + conversation + "/items").json().at("/data/0/id").asText();
            String response = east.post("/openai/responses", "{\"conversation\":\"" + conversation
                    + "\",\"agent\":{\"type\":\"agent_reference\",\"name\":\"only-east\"}}").json().get("id").asText();

            assertThat(central.get("/agents/only-east").status()).isEqualTo(404);
            Http.Reply missing = central.get("/openai/conversations/" + conversation);
            assertThat(missing.status()).isEqualTo(404);
            assertThat(missing.error().get("message").asText()).isEqualTo("Conversation " + conversation + " not found");
            assertThat(central.get("/openai/conversations/" + conversation + "/items/" + item).status()).isEqualTo(404);
            assertThat(central.get("/openai/responses/" + response).status()).isEqualTo(404);
            assertThat(central.post("/openai/responses", "{\"conversation\":\"" + conversation
                    + "\",\"model\":\"gpt-4o-mini\"}").status()).isEqualTo(404);
            assertThat(central.get("/agents").json().get("data")).isEmpty();

            // the east endpoint does not answer for the central project path and vice versa
            Http crossed = new Http(emulator.region("eastus2").projectEndpoint().replace("eastus2", "centralus"));
            assertThat(crossed.get("/agents").status()).isEqualTo(404);
            assertThat(emulator.region("eastus2").conversationCount()).isEqualTo(1);
            assertThat(emulator.region("centralus").conversationCount()).isZero();
        }
    }

    @Test
    void idsNeverCollideAcrossRegions() {
        try (Emulator emulator = Emulator.builder().region("a").region("b").start()) {
            String first = Http.of(emulator.region("a")).post("/openai/conversations", "{}").json().get("id").asText();
            String second = Http.of(emulator.region("b")).post("/openai/conversations", "{}").json().get("id").asText();
            assertThat(first).isNotEqualTo(second);
            assertThat(first).matches("conv_[0-9a-f]{24}");
        }
    }

    @Test
    void deploymentsArePerRegion() {
        try (Emulator emulator = Emulator.builder().region("eastus2").region("westus")
                .deployments("westus", "gpt-4o-mini").start()) {
            assertThat(emulator.region("eastus2").deployments()).containsExactly("gpt-4.1-mini", "gpt-4o-mini");
            assertThat(emulator.region("westus").deployments()).containsExactly("gpt-4o-mini");
            String agent = "{\"definition\":{\"kind\":\"prompt\",\"model\":\"gpt-4.1-mini\"}}";
            assertThat(Http.of(emulator.region("eastus2")).post("/agents/a/versions", agent).status()).isEqualTo(200);
            Http.Reply west = Http.of(emulator.region("westus")).post("/agents/a/versions", agent);
            assertThat(west.status()).isEqualTo(400);
            assertThat(west.error().get("message").asText()).contains("gpt-4.1-mini", "westus");
        }
    }
}
