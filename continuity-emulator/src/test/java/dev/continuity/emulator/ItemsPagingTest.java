package dev.continuity.emulator;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Item paging: default desc order, limit, after/before in both orders, and the empty terminal page. */
class ItemsPagingTest {

    private static Emulator emulator;
    private static Http http;
    private static String conversation;
    /** The 7 item ids in creation order. */
    private static final List<String> IDS = new ArrayList<>();

    @BeforeAll
    static void start() {
        emulator = Emulator.builder().region("eastus2").start();
        http = Http.of(emulator.region("eastus2"));
        conversation = http.post("/openai/conversations", "{\"items\":[{\"role\":\"user\",\"content\":\"m0\"},"
                + "{\"role\":\"assistant\",\"content\":\"m1\"},{\"role\":\"user\",\"content\":\"m2\"}]}").json().get("id").asText();
        http.post("/openai/conversations/" + conversation + "/items", "{\"items\":[{\"role\":\"user\",\"content\":\"m3\"},"
                + "{\"role\":\"assistant\",\"content\":\"m4\"},{\"role\":\"user\",\"content\":\"m5\"},{\"role\":\"user\",\"content\":\"m6\"}]}");
        for (JsonNode item : http.get(items("?order=asc")).json().get("data")) {
            IDS.add(item.get("id").asText());
        }
    }

    @AfterAll
    static void stop() {
        emulator.close();
    }

    @Test
    void defaultIsNewestFirstWithLimit20() {
        JsonNode page = http.get(items("")).json();
        assertThat(texts(page)).containsExactly("m6", "m5", "m4", "m3", "m2", "m1", "m0");
        assertThat(page.get("first_id").asText()).isEqualTo(IDS.get(6));
        assertThat(page.get("last_id").asText()).isEqualTo(IDS.get(0));
        assertThat(page.get("has_more").asBoolean()).isFalse();
    }

    @Test
    void ascendingPagesWithAfter() {
        JsonNode first = http.get(items("?limit=3&order=asc")).json();
        assertThat(texts(first)).containsExactly("m0", "m1", "m2");
        assertThat(first.get("has_more").asBoolean()).isTrue();
        JsonNode second = http.get(items("?limit=3&order=asc&after=" + first.get("last_id").asText())).json();
        assertThat(texts(second)).containsExactly("m3", "m4", "m5");
        assertThat(second.get("has_more").asBoolean()).isTrue();
        JsonNode third = http.get(items("?limit=3&order=asc&after=" + second.get("last_id").asText())).json();
        assertThat(texts(third)).containsExactly("m6");
        assertThat(third.get("has_more").asBoolean()).isFalse();
    }

    @Test
    void afterTheLastItemIsTheEmptyTerminalPage() {
        String terminal = "{\"object\":\"list\",\"data\":[],\"first_id\":null,\"last_id\":null,\"has_more\":false}";
        assertThat(http.get(items("?order=asc&after=" + IDS.get(6))).json()).isEqualTo(Http.json(terminal));
        assertThat(http.get(items("?order=desc&after=" + IDS.get(0))).json()).isEqualTo(Http.json(terminal));
        assertThat(http.get(items("?after=" + IDS.get(0))).json()).isEqualTo(Http.json(terminal));
    }

    @Test
    void theAutoPagerLoopTerminatesInBothOrders() {
        // what openai-java's autoPager does: ignore has_more, request after=last_id until a page is empty
        for (String order : List.of("asc", "desc")) {
            List<String> seen = new ArrayList<>();
            String after = null;
            int requests = 0;
            while (true) {
                JsonNode page = http.get(items("?limit=2&order=" + order + (after == null ? "" : "&after=" + after))).json();
                requests++;
                assertThat(requests).as("pager must terminate").isLessThan(20);
                if (page.get("data").isEmpty()) {
                    break;
                }
                seen.addAll(texts(page));
                after = page.get("last_id").asText();
            }
            List<String> expected = new ArrayList<>(List.of("m0", "m1", "m2", "m3", "m4", "m5", "m6"));
            if (order.equals("desc")) {
                java.util.Collections.reverse(expected);
            }
            assertThat(seen).as(order).isEqualTo(expected);
            assertThat(requests).isEqualTo(5);
        }
    }

    @Test
    void descendingPagesWithAfter() {
        JsonNode first = http.get(items("?limit=3")).json();
        assertThat(texts(first)).containsExactly("m6", "m5", "m4");
        JsonNode second = http.get(items("?limit=3&after=" + first.get("last_id").asText())).json();
        assertThat(texts(second)).containsExactly("m3", "m2", "m1");
        assertThat(second.get("has_more").asBoolean()).isTrue();
    }

    @Test
    void beforeReturnsTheItemsJustBeforeTheCursorInListOrder() {
        JsonNode asc = http.get(items("?limit=2&order=asc&before=" + IDS.get(4))).json();
        assertThat(texts(asc)).containsExactly("m2", "m3");
        assertThat(asc.get("has_more").asBoolean()).isTrue();
        JsonNode desc = http.get(items("?limit=2&order=desc&before=" + IDS.get(2))).json();
        assertThat(texts(desc)).containsExactly("m4", "m3");
        assertThat(desc.get("has_more").asBoolean()).isTrue();
        JsonNode between = http.get(items("?order=asc&after=" + IDS.get(1) + "&before=" + IDS.get(5))).json();
        assertThat(texts(between)).containsExactly("m2", "m3", "m4");
        assertThat(between.get("has_more").asBoolean()).isFalse();
        assertThat(http.get(items("?order=asc&before=" + IDS.get(0))).json().get("data")).isEmpty();
    }

    @Test
    void aDeletedCursorStillPagesFromItsPosition() {
        String id = http.post("/openai/conversations", "{\"items\":[{\"role\":\"user\",\"content\":\"a\"},"
                + "{\"role\":\"user\",\"content\":\"b\"},{\"role\":\"user\",\"content\":\"c\"}]}").json().get("id").asText();
        JsonNode all = http.get("/openai/conversations/" + id + "/items?order=asc").json().get("data");
        String middle = all.get(1).get("id").asText();
        http.delete("/openai/conversations/" + id + "/items/" + middle);
        JsonNode page = http.get("/openai/conversations/" + id + "/items?order=asc&after=" + middle).json();
        assertThat(texts(page)).containsExactly("c");
    }

    @Test
    void badPagingParametersAre400() {
        assertBad("?limit=0", "limit");
        assertBad("?limit=101", "limit");
        assertBad("?limit=ten", "limit");
        assertBad("?order=sideways", "order");
        assertBad("?after=not-an-id", "after");
        assertThat(http.get(items("?limit=100")).status()).isEqualTo(200);
        assertThat(http.get(items("?limit=1")).json().get("data")).hasSize(1);
    }

    @Test
    void limitDefaultsTo20AndCapsAt100() {
        String id = http.post("/openai/conversations", "{}").json().get("id").asText();
        for (int batch = 0; batch < 6; batch++) {
            StringBuilder body = new StringBuilder("{\"items\":[");
            for (int i = 0; i < 20; i++) {
                body.append(i == 0 ? "" : ",").append("{\"role\":\"user\",\"content\":\"x").append(batch * 20 + i).append("\"}");
            }
            http.post("/openai/conversations/" + id + "/items", body.append("]}").toString());
        }
        JsonNode page = http.get("/openai/conversations/" + id + "/items").json();
        assertThat(page.get("data")).hasSize(20);
        assertThat(page.get("has_more").asBoolean()).isTrue();
        JsonNode max = http.get("/openai/conversations/" + id + "/items?limit=100").json();
        assertThat(max.get("data")).hasSize(100);
        assertThat(max.get("has_more").asBoolean()).isTrue();
    }

    private static void assertBad(String query, String param) {
        Http.Reply reply = http.get(items(query));
        assertThat(reply.status()).as(query).isEqualTo(400);
        assertThat(reply.error().get("param").asText()).isEqualTo(param);
    }

    private static String items(String query) {
        return "/openai/conversations/" + conversation + "/items" + query;
    }

    private static List<String> texts(JsonNode page) {
        List<String> texts = new ArrayList<>();
        page.get("data").forEach(item -> texts.add(item.at("/content/0/text").asText()));
        return texts;
    }
}
