package dev.continuity.journal.io;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.continuity.journal.ConversationHead;
import dev.continuity.journal.RegionCursor;
import dev.continuity.journal.Tenants;
import dev.continuity.journal.TokenUsage;
import dev.continuity.journal.Turn;
import dev.continuity.journal.TurnConflictException;
import dev.continuity.journal.TurnItem;
import dev.continuity.journal.TurnStatus;
import dev.continuity.journal.spi.TurnWriteRules;
import dev.continuity.json.ExactJson;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.MalformedInputException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads a {@link JournalFormat} file line by line, validating every rule of the format and every
 * invariant a journal keeps ({@link TurnWriteRules#requireAppendable}: one agent per conversation, no
 * gaps, no turn after a pending one, well-formed turns), and hands each conversation and turn to a
 * {@link Handler}. The first violation stops the read with a
 * {@link JournalFileException} naming the file and line.
 */
final class JournalFileReader {

    /** Receives what the file holds, in file order. */
    interface Handler {
        /** A conversation head line (version 0; {@code lastSequence} as the file declares). */
        void conversation(ConversationHead head, long line);

        /** One turn of the current conversation. */
        void turn(Turn turn, long line);

        /** Every turn of the conversation whose head is at {@code headLine} has been handed over. */
        void conversationComplete(ConversationHead head, long headLine);
    }

    /** Continuity's JSON: numbers kept as written, duplicate keys refused (with their pointer). */
    private static final ObjectMapper MAPPER = ExactJson.newMapper();

    private final Path file;
    private final boolean nothingWritten;

    /**
     * @param file the file
     * @param nothingWritten what a {@link JournalFileException} thrown by this read reports
     */
    JournalFileReader(Path file, boolean nothingWritten) {
        this.file = file;
        this.nothingWritten = nothingWritten;
    }

    /** Reads the whole file; returns its counts. */
    ExportResult read(Handler handler) {
        try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            return read(in, handler);
        } catch (NoSuchFileException e) {
            throw problem(0, "no such file", e);
        } catch (MalformedInputException e) {
            throw problem(0, "not UTF-8 text", e);
        } catch (IOException e) {
            throw problem(0, "cannot be read: " + e.getMessage(), e);
        }
    }

    private ExportResult read(BufferedReader in, Handler handler) throws IOException {
        String first = in.readLine();
        if (first == null || first.isBlank()) {
            throw problem(first == null ? 0 : 1, "expected the format line {\"format\":\""
                    + JournalFormat.FORMAT + "\"} first", null);
        }
        ObjectNode marker = object(first, 1);
        JsonNode format = marker.get("format");
        if (format == null || !format.isTextual()) {
            throw problem(1, "expected the format line {\"format\":\"" + JournalFormat.FORMAT + "\"} first", null);
        }
        if (!JournalFormat.FORMAT.equals(format.asText())) {
            throw problem(1, "unsupported format '" + format.asText() + "' (this build reads "
                    + JournalFormat.FORMAT + ")", null);
        }
        State state = new State(handler);
        long number = 1;
        String line;
        while ((line = in.readLine()) != null) {
            number++;
            if (line.isBlank()) {
                continue;
            }
            if (state.ended) {
                throw problem(number, "content after the end line", null);
            }
            state.accept(object(line, number), number);
        }
        if (!state.ended) {
            throw problem(number, "the file ends without its end line {\"type\":\"end\",...}: it is truncated", null);
        }
        return new ExportResult(state.conversations, state.turns);
    }

    /** Where the read stands. */
    private final class State {
        final Handler handler;
        final Map<String, Long> headLines = new HashMap<>();
        ConversationHead current;
        Turn previous;
        long currentLine;
        long expectedSequence;
        long conversations;
        long turns;
        boolean ended;

        State(Handler handler) {
            this.handler = handler;
        }

        void accept(ObjectNode node, long line) {
            String type = text(node, JournalFormat.TYPE, line, true);
            switch (type) {
                case JournalFormat.CONVERSATION -> {
                    complete(line);
                    ConversationHead head = head(node, line);
                    Long earlier = headLines.putIfAbsent(head.conversationKey(), line);
                    if (earlier != null) {
                        throw problem(line, "conversation '" + head.conversationKey() + "' appears a second time (first "
                                + "at line " + earlier + ")", null);
                    }
                    current = head;
                    currentLine = line;
                    previous = null;
                    expectedSequence = 1;
                    conversations++;
                    handler.conversation(head, line);
                }
                case JournalFormat.TURN -> {
                    if (current == null) {
                        throw problem(line, "a turn line before any conversation line", null);
                    }
                    Turn turn = turn(node, line);
                    if (!turn.conversationKey().equals(current.conversationKey())) {
                        throw problem(line, "turn of conversation '" + turn.conversationKey() + "' inside conversation '"
                                + current.conversationKey() + "' (line " + currentLine + ")", null);
                    }
                    if (turn.sequence() != expectedSequence) {
                        throw problem(line, "turn " + turn.sequence() + " of conversation '" + turn.conversationKey()
                                + "' where turn " + expectedSequence + " was expected (turns follow each other without "
                                + "gaps, from 1)", null);
                    }
                    try {
                        // the journal's own invariants, checked for the whole file before anything is written
                        TurnWriteRules.requireAppendable(current, previous, turn);
                    } catch (TurnConflictException e) {
                        throw problem(line, e.getMessage() + " (conversation line " + currentLine + ")", e);
                    }
                    JsonNode digest = node.get("digest");
                    if (digest != null && !digest.isNull()
                            && !(digest.isTextual() && digest.asText().equals(TurnDigest.of(turn)))) {
                        throw problem(line, "turn " + turn.sequence() + " of conversation '" + turn.conversationKey()
                                + "': its 'digest' does not match its content (the line was changed after it was "
                                + "exported)", null);
                    }
                    previous = turn;
                    expectedSequence++;
                    turns++;
                    handler.turn(turn, line);
                }
                case JournalFormat.END -> {
                    complete(line);
                    long declaredConversations = number(node, "conversations", line);
                    long declaredTurns = number(node, "turns", line);
                    if (declaredConversations != conversations || declaredTurns != turns) {
                        throw problem(line, "the end line declares " + declaredConversations + " conversations and "
                                + declaredTurns + " turns, the file holds " + conversations + " and " + turns, null);
                    }
                    ended = true;
                }
                default -> throw problem(line, "unknown type '" + type + "' (expected conversation, turn or end)", null);
            }
        }

        /** The current conversation is complete: it must hold as many turns as its head declares. */
        private void complete(long line) {
            if (current == null) {
                return;
            }
            long held = expectedSequence - 1;
            if (held != current.lastSequence()) {
                throw problem(line, "conversation '" + current.conversationKey() + "' (line " + currentLine
                        + ") declares last_sequence " + current.lastSequence() + " but " + held
                        + " turn line(s) follow it", null);
            }
            if (previous != null && previous.status() != TurnStatus.COMMITTED) {
                current.regions().forEach((region, cursor) -> {
                    if (cursor.replayedThrough() == held) {
                        throw problem(currentLine, "'regions." + region + ".replayed_through' of conversation '"
                                + current.conversationKey() + "' is " + held + ", but turn " + held + " is "
                                + previous.status() + " (a region's cursor covers committed turns only)", null);
                    }
                });
            }
            handler.conversationComplete(current, currentLine);
            current = null;
        }
    }

    private ConversationHead head(ObjectNode node, long line) {
        String key = text(node, "key", line, true);
        String tenant = text(node, "tenant", line, false);
        if (tenant != null && !Tenants.isValid(tenant)) {
            throw problem(line, "'tenant' '" + tenant + "' is not a tenant id (1 to 128 letters, digits, '.', '_' or "
                    + "'-', starting with a letter or digit)", null);
        }
        String agent = text(node, "agent", line, true);
        String agentVersion = text(node, "agent_version", line, false);
        long lastSequence = number(node, "last_sequence", line);
        Instant createdAt = instant(node, "created_at", line, true);
        Instant lastActivityAt = instant(node, "last_activity_at", line, true);
        Map<String, RegionCursor> regions = new LinkedHashMap<>();
        JsonNode regionsNode = node.get("regions");
        if (regionsNode != null && !regionsNode.isNull()) {
            if (!regionsNode.isObject()) {
                throw problem(line, "'regions' must be an object of region name to cursor", null);
            }
            for (Iterator<Map.Entry<String, JsonNode>> it = regionsNode.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> region = it.next();
                if (!(region.getValue() instanceof ObjectNode cursor)) {
                    throw problem(line, "'regions." + region.getKey() + "' must be an object", null);
                }
                String conversationId = text(cursor, "conversation_id", line, true);
                long through = number(cursor, "replayed_through", line);
                if (through > lastSequence) {
                    throw problem(line, "'regions." + region.getKey() + ".replayed_through' is " + through
                            + ", beyond last_sequence " + lastSequence, null);
                }
                regions.put(region.getKey(), new RegionCursor(conversationId, through));
            }
        }
        return new ConversationHead(key, agent, agentVersion, lastSequence, createdAt, lastActivityAt, regions, 0,
                tenant);
    }

    private Turn turn(ObjectNode node, long line) {
        String key = text(node, "key", line, true);
        long sequence = number(node, "sequence", line);
        if (sequence < 1) {
            throw problem(line, "'sequence' must be at least 1, was " + sequence, null);
        }
        String agent = text(node, "agent", line, true);
        String agentVersion = text(node, "agent_version", line, false);
        String statusText = text(node, "status", line, true);
        TurnStatus status;
        try {
            status = TurnStatus.valueOf(statusText);
        } catch (IllegalArgumentException e) {
            throw problem(line, "'status' must be PENDING or COMMITTED, was '" + statusText + "'", null);
        }
        List<TurnItem> input = items(node, "input", line);
        List<TurnItem> output = items(node, "output", line);
        String responseId = text(node, "response_id", line, status == TurnStatus.COMMITTED);
        String region = text(node, "region", line, status == TurnStatus.COMMITTED);
        Instant startedAt = instant(node, "started_at", line, true);
        Instant completedAt = instant(node, "completed_at", line, status == TurnStatus.COMMITTED);
        TokenUsage usage = TokenUsage.NONE;
        JsonNode usageNode = node.get("usage");
        if (usageNode != null && !usageNode.isNull()) {
            if (!(usageNode instanceof ObjectNode u)) {
                throw problem(line, "'usage' must be an object", null);
            }
            try {
                usage = new TokenUsage(number(u, "input_tokens", line), number(u, "output_tokens", line),
                        number(u, "total_tokens", line));
            } catch (IllegalArgumentException e) {
                throw problem(line, "'usage': " + e.getMessage(), e);
            }
        }
        JsonNode optionsNode = node.get("options");
        String options = null;
        if (optionsNode != null && !optionsNode.isNull()) {
            if (!optionsNode.isObject()) {
                throw problem(line, "'options' must be an object (the turn's Responses API options)", null);
            }
            options = optionsNode.toString();
        }
        return new Turn(key, sequence, agent, agentVersion, input, output, responseId, region, usage, status,
                startedAt, completedAt, options);
    }

    private List<TurnItem> items(ObjectNode node, String field, long line) {
        JsonNode array = node.get(field);
        if (array == null || array.isNull()) {
            return List.of();
        }
        if (!array.isArray()) {
            throw problem(line, "'" + field + "' must be an array of items", null);
        }
        List<TurnItem> items = new ArrayList<>(array.size());
        for (int i = 0; i < array.size(); i++) {
            try {
                items.add(TurnItem.of(array.get(i).toString()));
            } catch (IllegalArgumentException e) {
                throw problem(line, "'" + field + "[" + i + "]': " + e.getMessage(), e);
            }
        }
        return items;
    }

    private ObjectNode object(String text, long line) {
        JsonNode node;
        try {
            node = MAPPER.readTree(text);
        } catch (JsonProcessingException e) {
            throw problem(line, ExactJson.refusal(e).map(r -> "refused " + r).orElse("not valid JSON: "
                    + e.getOriginalMessage()), e);
        }
        if (!(node instanceof ObjectNode object)) {
            throw problem(line, "expected a JSON object", null);
        }
        return object;
    }

    private String text(ObjectNode node, String field, long line, boolean required) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            if (required) {
                throw problem(line, "'" + field + "' is missing", null);
            }
            return null;
        }
        if (!value.isTextual()) {
            throw problem(line, "'" + field + "' must be a string", null);
        }
        if (required && value.asText().isEmpty()) {
            throw problem(line, "'" + field + "' is empty", null);
        }
        return value.asText();
    }

    private long number(ObjectNode node, String field, long line) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            throw problem(line, "'" + field + "' is missing", null);
        }
        if (!value.isIntegralNumber() || !value.canConvertToLong() || value.asLong() < 0) {
            throw problem(line, "'" + field + "' must be a whole number >= 0, was " + value, null);
        }
        return value.asLong();
    }

    private Instant instant(ObjectNode node, String field, long line, boolean required) {
        String text = text(node, field, line, required);
        if (text == null) {
            return null;
        }
        try {
            return Instant.parse(text);
        } catch (DateTimeParseException e) {
            throw problem(line, "'" + field + "' is not an ISO-8601 instant: '" + text + "'", e);
        }
    }

    private JournalFileException problem(long line, String reason, Throwable cause) {
        return new JournalFileException(file, line, reason, nothingWritten, cause);
    }
}
