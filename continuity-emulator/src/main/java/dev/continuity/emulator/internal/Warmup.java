package dev.continuity.emulator.internal;

import dev.continuity.emulator.internal.http.RawRequest;
import dev.continuity.emulator.internal.model.ScriptedModel;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Loads and exercises the request path once per JVM on a background daemon thread, against a throwaway
 * region that nobody can reach. Jackson's first use alone costs hundreds of milliseconds; without this
 * the first real request pays it (enough to miss a 2 s health-probe timeout on a busy machine), while
 * {@code start()} stays a few milliseconds. A request that arrives meanwhile simply waits for the
 * classes being initialised.
 */
public final class Warmup {

    private static final Logger LOG = LoggerFactory.getLogger(Warmup.class);
    private static final AtomicBoolean STARTED = new AtomicBoolean();

    private Warmup() {
    }

    /**
     * Starts the warm-up unless it already ran in this JVM or the system property
     * {@code continuity.emulator.warmup} is {@code false}.
     */
    public static void startOnce(ScriptedModel model) {
        if (!Boolean.parseBoolean(System.getProperty("continuity.emulator.warmup", "true"))
                || !STARTED.compareAndSet(false, true)) {
            return;
        }
        Thread thread = new Thread(() -> run(model), "emulator-warmup");
        thread.setDaemon(true);
        thread.setPriority(Thread.MIN_PRIORITY + 1);
        thread.start();
    }

    private static void run(ScriptedModel model) {
        try {
            RegionApi api = new RegionApi(new RegionInfo("warmup", List.of("m")), model);
            RegionHandler handler = new RegionHandler("warmup", api, new FaultEngine(), new OperationCounts(),
                    new ServiceTimeHistogram());
            String prefix = "/api/projects/warmup";
            send(handler, "POST", prefix + "/agents/w/versions", "{\"definition\":{\"kind\":\"prompt\",\"model\":\"m\","
                    + "\"tools\":[{\"type\":\"function\",\"name\":\"f\",\"parameters\":{}}]}}");
            send(handler, "GET", prefix + "/agents/w", null);
            send(handler, "GET", prefix + "/agents", null);
            String conversation = Json.parseTrusted(send(handler, "POST", prefix + "/openai/conversations",
                    "{\"items\":[{\"role\":\"user\",\"content\":\"remember k=v\"},{\"role\":\"assistant\",\"content\":\"ok\"}],"
                            + "\"metadata\":{\"a\":\"b\"}}")).path("id").asText();
            String items = prefix + "/openai/conversations/" + conversation + "/items";
            send(handler, "POST", items, "{\"items\":[{\"role\":\"user\",\"content\":[{\"type\":\"input_text\",\"text\":\"x\"}]}]}");
            String response = Json.parseTrusted(send(handler, "POST", prefix + "/openai/responses", "{\"conversation\":\""
                    + conversation + "\",\"input\":\"recall k\",\"agent\":{\"type\":\"agent_reference\",\"name\":\"w\"}}"))
                    .path("id").asText();
            send(handler, "GET", prefix + "/openai/responses/" + response, null);
            send(handler, "GET", items, null);
            send(handler, "GET", prefix + "/agents/ghost", null);
            LOG.debug("Emulator warm-up done");
        } catch (RuntimeException e) {
            LOG.debug("Emulator warm-up failed (harmless): {}", e.toString());
        }
    }

    private static byte[] send(RegionHandler handler, String method, String path, String body) {
        path = path + (path.indexOf('?') < 0 ? "?" : "&") + "api-version=" + ApiVersions.PREVIEW;
        int question = path.indexOf('?');
        return handler.handle(new RawRequest(method, question < 0 ? path : path.substring(0, question),
                question < 0 ? null : path.substring(question + 1), Map.of(),
                body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8))).body();
    }
}
