package dev.continuity.emulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code stream: true} over raw HTTP: the {@code text/event-stream} framing (chunked, one
 * {@code event:}/{@code data:} frame per event, the event name equal to the data's {@code type}),
 * sequence numbers, the deltas adding up to the stored answer, the same conversation items as a
 * non-streamed create, a background stream resumed with {@code starting_after}, and the stream fault
 * kinds through the admin API.
 */
class StreamedResponsesOverHttpTest {

    private static Emulator emulator;
    private static EmulatorRegion east;
    private static Http http;

    @BeforeAll
    static void start() {
        emulator = Emulator.builder().region("eastus2").start();
        east = emulator.region("eastus2");
        http = Http.of(east);
        assertThat(http.post("/agents/streamer/versions",
                "{\"definition\":{\"kind\":\"prompt\",\"model\":\"gpt-4o-mini\"}}").status()).isEqualTo(200);
    }

    @AfterAll
    static void stop() {
        emulator.close();
    }

    /** One server-sent event: its {@code event:} name and its parsed {@code data:}. */
    record Event(String name, JsonNode data) {
    }

    /** Parses an event-stream body, checking each frame is {@code event: NAME\ndata: JSON\n\n}. */
    static List<Event> events(String body) {
        List<Event> events = new ArrayList<>();
        assertThat(body).endsWith("\n\n");
        for (String frame : body.substring(0, body.length() - 2).split("\n\n", -1)) {
            String[] lines = frame.split("\n", -1);
            assertThat(lines).as(frame).hasSize(2);
            assertThat(lines[0]).startsWith("event: ");
            assertThat(lines[1]).startsWith("data: ");
            events.add(new Event(lines[0].substring(7), Http.json(lines[1].substring(6))));
        }
        return events;
    }

    private static List<String> names(List<Event> events) {
        return events.stream().map(Event::name).toList();
    }

    @Test
    void aStreamedCreateIsAnEventStreamWhoseDeltasAddUpToTheStoredAnswer() {
        Http.Reply reply = http.post("/openai/responses", "{\"model\":\"gpt-4o-mini\",\"stream\":true,"
                + "\"input\":\"hello there, streaming world\"}");
        assertThat(reply.status()).isEqualTo(200);
        assertThat(reply.headers().firstValue("content-type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("text/event-stream"));
        assertThat(reply.headers().firstValue("transfer-encoding")).contains("chunked");
        List<Event> events = events(reply.text());
        for (int i = 0; i < events.size(); i++) {
            assertThat(events.get(i).data().path("type").asText()).isEqualTo(events.get(i).name());
            assertThat(events.get(i).data().path("sequence_number").asInt()).isEqualTo(i);
        }
        List<String> names = names(events);
        assertThat(names.subList(0, 4)).containsExactly("response.created", "response.in_progress",
                "response.output_item.added", "response.content_part.added");
        assertThat(names.subList(names.size() - 4, names.size())).containsExactly("response.output_text.done",
                "response.content_part.done", "response.output_item.done", "response.completed");
        List<Event> deltas = events.stream().filter(e -> e.name().equals("response.output_text.delta")).toList();
        assertThat(deltas).hasSizeGreaterThan(1);
        StringBuilder text = new StringBuilder();
        deltas.forEach(d -> text.append(d.data().path("delta").asText()));

        JsonNode created = events.get(0).data().path("response");
        assertThat(created.path("status").asText()).isEqualTo("in_progress");
        assertThat(created.path("output")).isEmpty();
        JsonNode completed = events.get(events.size() - 1).data().path("response");
        JsonNode stored = http.get("/openai/responses/" + created.path("id").asText()).json();
        assertThat(completed).isEqualTo(stored);
        assertThat(text.toString()).isEqualTo(stored.path("output").get(0).path("content").get(0).path("text").asText());
        assertThat(events.get(events.size() - 4).data().path("text").asText()).isEqualTo(text.toString());
        assertThat(east.operationCounts().get("responses.create")).isPositive();
    }

    @Test
    void aStreamedTurnWritesTheSameConversationItemsAsANonStreamedOneOnTheV1Routes() {
        String streamedConversation = http.post("/openai/v1/conversations", "{}").json().path("id").asText();
        String plainConversation = http.post("/openai/v1/conversations", "{}").json().path("id").asText();
        String turn = "\"agent_reference\":{\"type\":\"agent_reference\",\"name\":\"streamer\"},\"input\":\"remember city=Lyon\"";
        Http.Reply streamed = http.post("/openai/v1/responses", "{" + turn + ",\"conversation\":\""
                + streamedConversation + "\",\"stream\":true}");
        assertThat(streamed.status()).as(streamed.text()).isEqualTo(200);
        assertThat(names(events(streamed.text()))).last().isEqualTo("response.completed");
        assertThat(http.post("/openai/v1/responses", "{" + turn + ",\"conversation\":\"" + plainConversation + "\"}")
                .status()).isEqualTo(200);
        JsonNode streamedItems = http.get("/openai/v1/conversations/" + streamedConversation + "/items?order=asc").json();
        JsonNode plainItems = http.get("/openai/v1/conversations/" + plainConversation + "/items?order=asc").json();
        assertThat(streamedItems.path("data")).hasSize(2);
        for (int i = 0; i < 2; i++) {
            JsonNode s = streamedItems.path("data").get(i);
            JsonNode p = plainItems.path("data").get(i);
            assertThat(s.path("type")).isEqualTo(p.path("type"));
            assertThat(s.path("role")).isEqualTo(p.path("role"));
            assertThat(s.path("content")).isEqualTo(p.path("content"));
        }
    }

    @Test
    void aBackgroundStreamResumesAfterTheGivenSequenceNumber() {
        Http.Reply reply = http.post("/openai/responses", "{\"model\":\"gpt-4o-mini\",\"stream\":true,\"background\":true,"
                + "\"input\":\"one two three four five\"}");
        assertThat(reply.status()).as(reply.text()).isEqualTo(200);
        List<Event> all = events(reply.text());
        assertThat(all.get(0).data().path("response").path("status").asText()).isEqualTo("queued");
        assertThat(all.get(all.size() - 1).name()).isEqualTo("response.completed");
        String id = all.get(0).data().path("response").path("id").asText();

        Http.Reply resumed = http.get("/openai/responses/" + id + "?stream=true&starting_after=3");
        assertThat(resumed.status()).as(resumed.text()).isEqualTo(200);
        List<Event> rest = events(resumed.text());
        assertThat(rest).hasSize(all.size() - 4);
        for (int i = 0; i < rest.size(); i++) {
            assertThat(rest.get(i).data()).isEqualTo(all.get(i + 4).data());
        }
        assertThat(events(http.get("/openai/v1/responses/" + id + "?stream=true").text())).hasSize(all.size());
        assertThat(http.get("/openai/responses/" + id + "?stream=true&starting_after=x").status()).isEqualTo(400);
    }

    @Test
    void aBackgroundResponseNotRunYetRunsWhenItsStreamIsRetrieved() {
        JsonNode queued = http.post("/openai/responses", "{\"model\":\"gpt-4o-mini\",\"background\":true,"
                + "\"input\":\"hi\"}").json();
        assertThat(queued.path("status").asText()).isEqualTo("queued");
        List<Event> events = events(http.get("/openai/responses/" + queued.path("id").asText() + "?stream=true").text());
        assertThat(events.get(events.size() - 1).name()).isEqualTo("response.completed");
        assertThat(http.get("/openai/responses/" + queued.path("id").asText()).json().path("status").asText())
                .isEqualTo("completed");
    }

    @Test
    void onlyABackgroundResponsesStreamCanBeRetrieved() {
        String id = http.post("/openai/responses", "{\"model\":\"gpt-4o-mini\",\"input\":\"hi\"}").json().path("id").asText();
        Http.Reply reply = http.get("/openai/responses/" + id + "?stream=true");
        assertThat(reply.status()).isEqualTo(400);
        assertThat(reply.error().path("param").asText()).isEqualTo("stream");
    }

    @Test
    void theAdminApiCutsTheNextStreamAfterTheGivenEventCount() {
        Http admin = new Http(emulator.adminEndpoint());
        assertThat(admin.post("/admin/regions/eastus2/faults", "{\"kind\":\"STREAM_CUT\",\"afterEvents\":3,\"times\":1}")
                .status()).isEqualTo(200);
        JsonNode listed = admin.get("/admin/regions").json().path("data").get(0).path("faults").get(0);
        assertThat(listed.path("kind").asText()).isEqualTo("STREAM_CUT");
        assertThat(listed.path("afterEvents").asInt()).isEqualTo(3);
        // the body ends without its terminating chunk: the reading client fails
        assertThatThrownBy(() -> http.post("/openai/responses", "{\"model\":\"gpt-4o-mini\",\"stream\":true,\"input\":\"hi\"}"))
                .isInstanceOf(UncheckedIOException.class);
        // consumed (times 1): the next stream completes
        List<Event> events = events(http.post("/openai/responses",
                "{\"model\":\"gpt-4o-mini\",\"stream\":true,\"input\":\"hi\"}").text());
        assertThat(events.get(events.size() - 1).name()).isEqualTo("response.completed");
        assertThat(admin.post("/admin/regions/eastus2/faults", "{\"kind\":\"STREAM_STALL\",\"afterEvents\":-1}").status())
                .isEqualTo(400);
        assertThat(admin.post("/admin/regions/eastus2/faults", "{\"kind\":\"LATENCY\",\"latencyMillis\":5,\"afterEvents\":2}")
                .status()).isEqualTo(400);
    }

    @Test
    void withCancelCutStreamsACutStreamLeavesItsResponseCancelledAndNothingInTheConversation() {
        String conversation = http.post("/openai/conversations", "{}").json().path("id").asText();
        String turn = "{\"agent\":{\"type\":\"agent_reference\",\"name\":\"streamer\"},\"conversation\":\""
                + conversation + "\",\"stream\":true,\"input\":\"remember city=Lyon\"}";
        try {
            east.faults().cancelCutStreams();
            east.faults().inject(FaultRule.cutStreamAfter(5));
            assertThatThrownBy(() -> http.post("/openai/responses", turn)).isInstanceOf(UncheckedIOException.class);

            JsonNode responses = http.get("/openai/responses?conversation_id=" + conversation).json().path("data");
            assertThat(responses).hasSize(1);
            JsonNode stopped = http.get("/openai/responses/" + responses.get(0).path("id").asText()).json();
            assertThat(stopped.path("status").asText()).isEqualTo("cancelled");
            assertThat(stopped.path("output")).isEmpty();
            assertThat(stopped.has("usage")).isFalse();
            assertThat(http.get("/openai/conversations/" + conversation + "/items").json().path("data")).isEmpty();

            // a stream read to its end is not touched: its response completes, its items stay
            List<Event> events = events(http.post("/openai/responses", turn).text());
            assertThat(events.get(events.size() - 1).name()).isEqualTo("response.completed");
            assertThat(http.get("/openai/conversations/" + conversation + "/items").json().path("data")).hasSize(2);
        } finally {
            east.faults().clear();
        }
        // cleared with the rules: a cut stream's response runs to its end again
        east.faults().inject(FaultRule.cutStreamAfter(5));
        assertThatThrownBy(() -> http.post("/openai/responses", turn)).isInstanceOf(UncheckedIOException.class);
        assertThat(http.get("/openai/conversations/" + conversation + "/items").json().path("data")).hasSize(4);
    }

    @Test
    void withCancelCutStreamsAnOutageStopsTheResponseOfAStalledStream() throws Exception {
        Emulator own = Emulator.builder().region("westus").start();
        try (own) {
            EmulatorRegion west = own.region("westus");
            Http westHttp = Http.of(west);
            String conversation = westHttp.post("/openai/conversations", "{}").json().path("id").asText();
            west.faults().cancelCutStreams();
            west.faults().inject(FaultRule.stallStreamAfter(4));
            java.util.concurrent.CompletableFuture<Http.Reply> stalled = java.util.concurrent.CompletableFuture
                    .supplyAsync(() -> westHttp.post("/openai/responses", "{\"model\":\"gpt-4o-mini\",\"conversation\":\""
                            + conversation + "\",\"stream\":true,\"input\":\"remember city=Lyon\"}"));
            String id = null;
            while (id == null) { // the response is stored before its first event is sent
                JsonNode listed = westHttp.get("/openai/responses?conversation_id=" + conversation).json().path("data");
                id = listed.isEmpty() ? null : listed.get(0).path("id").asText();
                Thread.onSpinWait();
            }

            west.faults().outage();
            assertThatThrownBy(stalled::join).hasCauseInstanceOf(UncheckedIOException.class);
            west.faults().restore();

            assertThat(westHttp.get("/openai/responses/" + id).json().path("status").asText()).isEqualTo("cancelled");
            assertThat(westHttp.get("/openai/conversations/" + conversation + "/items").json().path("data")).isEmpty();
        }
    }
}
