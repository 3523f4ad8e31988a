package dev.continuity.emulator.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;

/**
 * The events of a streamed response ({@code stream: true}), derived from the response as it ends: the
 * same response a non-streamed create answers, told event by event in the order of the specification's
 * {@code ResponseStreamEvent}s.
 *
 * <ol>
 *   <li>{@code response.created} and {@code response.in_progress}, carrying the response with status
 *       {@code in_progress} ({@code queued} in {@code response.created} for a background response), no
 *       output and no usage;</li>
 *   <li>per output item, in output order: {@code response.output_item.added} (the item in progress), the
 *       item type's events, {@code response.output_item.done} (the item as stored):
 *       <ul>
 *         <li>{@code message}: per content part {@code response.content_part.added} (empty text),
 *             {@code response.output_text.delta}..., {@code response.output_text.done},
 *             {@code response.content_part.done};</li>
 *         <li>{@code function_call}: {@code response.function_call_arguments.delta}...,
 *             {@code response.function_call_arguments.done};</li>
 *         <li>{@code file_search_call}: {@code response.file_search_call.in_progress}, {@code .searching},
 *             {@code .completed};</li>
 *         <li>{@code mcp_list_tools}: {@code response.mcp_list_tools.in_progress}, {@code .completed}
 *             ({@code .failed} with an {@code error});</li>
 *         <li>{@code mcp_call}: {@code response.mcp_call.in_progress},
 *             {@code response.mcp_call_arguments.delta}..., {@code response.mcp_call_arguments.done},
 *             {@code response.mcp_call.completed} ({@code .failed} with an {@code error});</li>
 *         <li>{@code code_interpreter_call}: {@code response.code_interpreter_call.in_progress},
 *             {@code response.code_interpreter_call_code.delta}..., {@code response.code_interpreter_call_code.done},
 *             {@code response.code_interpreter_call.interpreting}, {@code response.code_interpreter_call.completed};</li>
 *         <li>{@code reasoning}: per summary part {@code response.reasoning_summary_part.added},
 *             {@code response.reasoning_summary_text.delta}..., {@code response.reasoning_summary_text.done},
 *             {@code response.reasoning_summary_part.done};</li>
 *         <li>other items (approval requests, memory search calls, ...): added and done only;</li>
 *       </ul></li>
 *   <li>{@code response.completed}, {@code response.incomplete} or {@code response.failed} with the response
 *       as stored ({@code GET /responses/{id}} answers the same). A cancelled background response ends
 *       without a terminal event.</li>
 * </ol>
 *
 * <p>Every event has {@code sequence_number}, from 0. Deltas split deterministically: text (message and
 * reasoning summary text) after each run of whitespace (a word with the spaces after it per delta);
 * function and MCP arguments and code in pieces of {@value #PIECE} characters. The deltas of a part
 * concatenate to its text.
 */
final class ResponseEvents {

    /** Characters per delta of arguments and code. */
    static final int PIECE = 8;

    private final List<ObjectNode> events = new ArrayList<>();

    private ResponseEvents() {
    }

    /** The events of {@code response} (the response as stored), created as queued when {@code background}. */
    static List<ObjectNode> of(ObjectNode response, boolean background) {
        ResponseEvents out = new ResponseEvents();
        out.tell(response, background);
        return out.events;
    }

    private void tell(ObjectNode response, boolean background) {
        ObjectNode running = response.deepCopy();
        running.put("status", background ? "queued" : "in_progress");
        running.putNull("error");
        running.putNull("incomplete_details");
        running.putArray("output");
        running.remove("usage");
        emit("response.created").set("response", running);
        ObjectNode progressing = running.deepCopy();
        progressing.put("status", "in_progress");
        emit("response.in_progress").set("response", progressing);
        int index = 0;
        for (JsonNode item : response.path("output")) {
            item(index++, (ObjectNode) item);
        }
        String terminal = switch (response.path("status").asText()) {
            case "completed" -> "response.completed";
            case "incomplete" -> "response.incomplete";
            case "failed" -> "response.failed";
            default -> null;
        };
        if (terminal != null) {
            emit(terminal).set("response", response.deepCopy());
        }
    }

    private void item(int index, ObjectNode item) {
        String type = item.path("type").asText();
        String id = item.path("id").asText();
        ObjectNode added = item.deepCopy();
        if (added.has("status")) {
            added.put("status", "in_progress");
        }
        switch (type) {
            case "message" -> added.putArray("content");
            case "function_call", "mcp_call" -> {
                added.put("arguments", "");
                if ("mcp_call".equals(type)) {
                    added.remove("output");
                    added.remove("error");
                }
            }
            case "code_interpreter_call" -> {
                added.put("code", "");
                added.putNull("outputs");
            }
            case "reasoning" -> added.putArray("summary");
            default -> {
                // added as is, in progress
            }
        }
        emit("response.output_item.added").put("output_index", index).set("item", added);
        switch (type) {
            case "message" -> message(index, id, item);
            case "function_call" -> {
                String arguments = item.path("arguments").asText("");
                for (String delta : pieces(arguments)) {
                    forItem("response.function_call_arguments.delta", index, id).put("delta", delta);
                }
                forItem("response.function_call_arguments.done", index, id).put("name", item.path("name").asText())
                        .put("arguments", arguments);
            }
            case "file_search_call" -> {
                forItem("response.file_search_call.in_progress", index, id);
                forItem("response.file_search_call.searching", index, id);
                forItem("response.file_search_call.completed", index, id);
            }
            case "mcp_list_tools" -> {
                forItem("response.mcp_list_tools.in_progress", index, id);
                forItem(hasError(item) ? "response.mcp_list_tools.failed" : "response.mcp_list_tools.completed", index, id);
            }
            case "mcp_call" -> {
                forItem("response.mcp_call.in_progress", index, id);
                String arguments = item.path("arguments").asText("");
                for (String delta : pieces(arguments)) {
                    forItem("response.mcp_call_arguments.delta", index, id).put("delta", delta);
                }
                forItem("response.mcp_call_arguments.done", index, id).put("arguments", arguments);
                forItem(hasError(item) ? "response.mcp_call.failed" : "response.mcp_call.completed", index, id);
            }
            case "code_interpreter_call" -> {
                forItem("response.code_interpreter_call.in_progress", index, id);
                String code = item.path("code").asText("");
                for (String delta : pieces(code)) {
                    forItem("response.code_interpreter_call_code.delta", index, id).put("delta", delta);
                }
                forItem("response.code_interpreter_call_code.done", index, id).put("code", code);
                forItem("response.code_interpreter_call.interpreting", index, id);
                forItem("response.code_interpreter_call.completed", index, id);
            }
            case "reasoning" -> {
                int summaryIndex = 0;
                for (JsonNode part : item.path("summary")) {
                    String text = part.path("text").asText("");
                    ObjectNode empty = Json.object().put("type", "summary_text").put("text", "");
                    forItem("response.reasoning_summary_part.added", index, id).put("summary_index", summaryIndex)
                            .set("part", empty);
                    for (String delta : words(text)) {
                        forItem("response.reasoning_summary_text.delta", index, id).put("summary_index", summaryIndex)
                                .put("delta", delta);
                    }
                    forItem("response.reasoning_summary_text.done", index, id).put("summary_index", summaryIndex)
                            .put("text", text);
                    forItem("response.reasoning_summary_part.done", index, id).put("summary_index", summaryIndex)
                            .set("part", Json.object().put("type", "summary_text").put("text", text));
                    summaryIndex++;
                }
            }
            default -> {
                // no events of its own
            }
        }
        emit("response.output_item.done").put("output_index", index).set("item", item.deepCopy());
    }

    private void message(int index, String id, ObjectNode item) {
        int contentIndex = 0;
        for (JsonNode part : item.path("content")) {
            ObjectNode empty = part.deepCopy();
            if ("output_text".equals(part.path("type").asText())) {
                empty.put("text", "");
                empty.putArray("annotations");
                empty.putArray("logprobs");
            } else if ("refusal".equals(part.path("type").asText())) {
                empty.put("refusal", "");
            }
            forItem("response.content_part.added", index, id).put("content_index", contentIndex).set("part", empty);
            if ("output_text".equals(part.path("type").asText())) {
                String text = part.path("text").asText("");
                for (String delta : words(text)) {
                    ObjectNode event = forItem("response.output_text.delta", index, id).put("content_index", contentIndex)
                            .put("delta", delta);
                    event.putArray("logprobs");
                }
                ObjectNode done = forItem("response.output_text.done", index, id).put("content_index", contentIndex)
                        .put("text", text);
                done.putArray("logprobs");
            }
            forItem("response.content_part.done", index, id).put("content_index", contentIndex).set("part", part.deepCopy());
            contentIndex++;
        }
    }

    private static boolean hasError(JsonNode item) {
        JsonNode error = item.get("error");
        return error != null && !error.isNull();
    }

    private ObjectNode forItem(String type, int index, String id) {
        return emit(type).put("output_index", index).put("item_id", id);
    }

    private ObjectNode emit(String type) {
        ObjectNode event = Json.object();
        event.put("type", type);
        event.put("sequence_number", events.size());
        events.add(event);
        return event;
    }

    /** {@code text} cut after each run of whitespace: a word with the whitespace after it per piece. */
    static List<String> words(String text) {
        List<String> pieces = new ArrayList<>();
        int start = 0;
        int i = 0;
        while (i < text.length()) {
            boolean space = Character.isWhitespace(text.charAt(i));
            i++;
            if (space && (i == text.length() || !Character.isWhitespace(text.charAt(i)))) {
                pieces.add(text.substring(start, i));
                start = i;
            }
        }
        if (start < text.length()) {
            pieces.add(text.substring(start));
        }
        return pieces;
    }

    /** {@code text} in pieces of {@link #PIECE} characters (a surrogate pair is never split). */
    static List<String> pieces(String text) {
        List<String> pieces = new ArrayList<>();
        int start = 0;
        while (start < text.length()) {
            int end = Math.min(text.length(), start + PIECE);
            if (end < text.length() && Character.isHighSurrogate(text.charAt(end - 1))) {
                end++;
            }
            pieces.add(text.substring(start, end));
            start = end;
        }
        return pieces;
    }
}
