package dev.continuity.journal.io;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.continuity.ContinuityFiles;
import dev.continuity.journal.ConversationHead;
import dev.continuity.journal.ConversationSummary;
import dev.continuity.journal.Page;
import dev.continuity.journal.RegionCursor;
import dev.continuity.journal.Tenants;
import dev.continuity.journal.Turn;
import dev.continuity.journal.TurnItem;
import dev.continuity.journal.TurnJournal;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes every conversation of a {@link TurnJournal} to a file in the {@link JournalFormat} format.
 *
 * <p>The export reads the journal conversation by conversation; it is not a point-in-time snapshot of a
 * journal that is being written meanwhile (each conversation is consistent in itself: its head is read
 * before its turns, and its {@code last_sequence} is that of the last turn written). Export a journal
 * that is not in use when every conversation must be in the file.
 */
public final class JournalExporter {

    private static final Logger LOG = LoggerFactory.getLogger(JournalExporter.class);
    private static final JsonFactory JSON = new JsonFactory()
            .disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET)
            .disable(JsonGenerator.Feature.FLUSH_PASSED_TO_STREAM);
    private static final int PAGE = 500;

    private final TurnJournal journal;
    private final Clock clock;
    private final String tenant;

    /** An exporter of {@code journal}. */
    public JournalExporter(TurnJournal journal) {
        this(journal, Clock.systemUTC());
    }

    /** An exporter of {@code journal} that stamps the file with {@code clock}'s time. */
    public JournalExporter(TurnJournal journal, Clock clock) {
        this(journal, clock, null);
    }

    private JournalExporter(TurnJournal journal, Clock clock, String tenant) {
        this.journal = Objects.requireNonNull(journal, "journal");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.tenant = tenant;
    }

    /**
     * An exporter of {@code tenant}'s conversations only ({@link TurnJournal#listTenantConversations}); the file's
     * format line names the tenant.
     *
     * @throws IllegalArgumentException if the tenant id is not valid
     */
    public JournalExporter tenant(String tenant) {
        return new JournalExporter(journal, clock, Tenants.require(tenant, "the export"));
    }

    /**
     * Exports to {@code file}: written to a temporary file beside it and moved into place when complete,
     * so {@code file} is never left half-written.
     *
     * @throws UncheckedIOException when the file cannot be written (the message names it)
     */
    public ExportResult export(Path file) {
        Path absolute = file.toAbsolutePath();
        Path directory = absolute.getParent();
        Path temporary = null;
        try {
            ContinuityFiles.createDirectories(directory);
            temporary = ContinuityFiles.createTempFile(directory, absolute.getFileName().toString(), ".partial");
            ExportResult result;
            try (Writer out = Files.newBufferedWriter(temporary, StandardCharsets.UTF_8)) {
                result = export(out);
            }
            Files.move(temporary, absolute, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            LOG.info("exported {} conversations, {} turns to {}", result.conversations(), result.turns(), absolute);
            return result;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write journal export " + absolute + ": " + e.getMessage(), e);
        } finally {
            if (temporary != null) {
                try {
                    Files.deleteIfExists(temporary);
                } catch (IOException e) {
                    LOG.warn("cannot delete temporary export file {}", temporary, e);
                }
            }
        }
    }

    /**
     * Exports to {@code out} (not closed). Conversations are written most recently active first.
     *
     * @throws IOException when writing fails
     */
    public ExportResult export(Writer out) throws IOException {
        Writer buffered = out instanceof BufferedWriter ? out : new BufferedWriter(out);
        line(buffered, g -> {
            g.writeStringField("format", JournalFormat.FORMAT);
            g.writeStringField("exported_at", clock.instant().toString());
            if (tenant != null) {
                g.writeStringField("tenant", tenant);
            }
        });
        long conversations = 0;
        long turns = 0;
        for (String key : conversationKeys()) {
            Optional<ConversationHead> head = journal.head(key);
            if (head.isEmpty()) {
                continue; // listed, then gone (a journal does not delete conversations; defensive)
            }
            List<Turn> history = journal.read(key, 1);
            long lastSequence = history.isEmpty() ? 0 : history.get(history.size() - 1).sequence();
            writeHead(buffered, head.get(), lastSequence);
            for (Turn turn : history) {
                writeTurn(buffered, turn);
            }
            conversations++;
            turns += history.size();
        }
        long conversationCount = conversations;
        long turnCount = turns;
        line(buffered, g -> {
            g.writeStringField(JournalFormat.TYPE, JournalFormat.END);
            g.writeNumberField("conversations", conversationCount);
            g.writeNumberField("turns", turnCount);
        });
        buffered.flush();
        return new ExportResult(conversations, turns);
    }

    /** Every key, listed before anything is exported so that paging is not disturbed by the export. */
    private Set<String> conversationKeys() {
        Set<String> keys = new LinkedHashSet<>();
        String token = null;
        do {
            Page<ConversationSummary> page = tenant == null ? journal.listConversations(token, PAGE)
                    : journal.listTenantConversations(tenant, token, PAGE);
            page.items().forEach(s -> keys.add(s.conversationKey()));
            token = page.continuationToken();
        } while (token != null);
        return keys;
    }

    private static void writeHead(Writer out, ConversationHead head, long lastSequence) throws IOException {
        line(out, g -> {
            g.writeStringField(JournalFormat.TYPE, JournalFormat.CONVERSATION);
            g.writeStringField("key", head.conversationKey());
            g.writeStringField("tenant", head.tenant());
            g.writeStringField("agent", head.agentName());
            g.writeStringField("agent_version", head.agentVersion());
            g.writeNumberField("last_sequence", lastSequence);
            g.writeStringField("created_at", head.createdAt().toString());
            g.writeStringField("last_activity_at", head.lastActivityAt().toString());
            g.writeObjectFieldStart("regions");
            for (Map.Entry<String, RegionCursor> region : head.regions().entrySet()) {
                g.writeObjectFieldStart(region.getKey());
                g.writeStringField("conversation_id", region.getValue().conversationId());
                g.writeNumberField("replayed_through", region.getValue().replayedThrough());
                g.writeEndObject();
            }
            g.writeEndObject();
        });
    }

    private static void writeTurn(Writer out, Turn turn) throws IOException {
        String digest = TurnDigest.of(turn);
        line(out, g -> {
            turnFields(g, turn);
            g.writeStringField("digest", digest);
        });
    }

    /** The canonical form of a turn: its line without the digest ({@link TurnDigest}). */
    static String canonicalTurn(Turn turn) {
        java.io.StringWriter out = new java.io.StringWriter();
        try (JsonGenerator g = JSON.createGenerator(out)) {
            g.writeStartObject();
            turnFields(g, turn);
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a StringWriter does not fail
        }
        return out.toString();
    }

    private static void turnFields(JsonGenerator g, Turn turn) throws IOException {
        {
            g.writeStringField(JournalFormat.TYPE, JournalFormat.TURN);
            g.writeStringField("key", turn.conversationKey());
            g.writeNumberField("sequence", turn.sequence());
            g.writeStringField("agent", turn.agentName());
            g.writeStringField("agent_version", turn.agentVersion());
            g.writeStringField("status", turn.status().name());
            items(g, "input", turn.input());
            items(g, "output", turn.output());
            g.writeStringField("response_id", turn.responseId());
            g.writeStringField("region", turn.region());
            g.writeObjectFieldStart("usage");
            g.writeNumberField("input_tokens", turn.usage().inputTokens());
            g.writeNumberField("output_tokens", turn.usage().outputTokens());
            g.writeNumberField("total_tokens", turn.usage().totalTokens());
            g.writeEndObject();
            g.writeStringField("started_at", turn.startedAt().toString());
            g.writeStringField("completed_at", turn.completedAt() == null ? null : turn.completedAt().toString());
            if (turn.options() != null) {
                g.writeFieldName("options");
                g.writeRawValue(turn.options()); // the turn's Responses API options, a JSON object
            }
        }
    }

    private static void items(JsonGenerator g, String field, List<TurnItem> items) throws IOException {
        g.writeArrayFieldStart(field);
        for (TurnItem item : items) {
            g.writeRawValue(item.json()); // canonical JSON, embedded unchanged
        }
        g.writeEndArray();
    }

    private static void line(Writer out, Fields fields) throws IOException {
        try (JsonGenerator g = JSON.createGenerator(out)) {
            g.writeStartObject();
            fields.write(g);
            g.writeEndObject();
        }
        out.write('\n');
    }

    @FunctionalInterface
    private interface Fields {
        void write(JsonGenerator generator) throws IOException;
    }
}
