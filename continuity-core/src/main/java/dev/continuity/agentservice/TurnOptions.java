package dev.continuity.agentservice;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The Responses API options of one turn, beyond its input: passed to the service with the turn and
 * journaled with it, so a pending turn completed later (after a crash or a failover) is asked with the
 * same options. Immutable; start from {@link #NONE} and use the withers:
 *
 * <pre>{@code
 * TurnOptions options = TurnOptions.NONE.withMaxOutputTokens(200).withTemperature(0.2)
 *         .withToolChoice("none").withMetadata(Map.of("ticket", "T-17"));
 * client.send(key, List.of(TurnItem.userMessage("Summarise")), options);
 * }</pre>
 *
 * <p>{@code toolChoice} and {@code text} are JSON text, passed to the service as given: {@code toolChoice}
 * is {@code "none"}, {@code "auto"}, {@code "required"} (JSON strings) or an object such as
 * {@code {"type":"function","name":"lookup"}}; {@code text} is the request's {@code text} object, e.g.
 * {@code {"format":{"type":"json_schema","name":"answer","schema":{...}}}} for structured output.
 *
 * <p><b>Every other option</b> of the Responses API's create request ({@code background}, {@code reasoning},
 * {@code truncation}, {@code parallel_tool_calls}, {@code max_tool_calls}, {@code service_tier},
 * {@code prompt_cache_key}, {@code safety_identifier}, {@code top_logprobs}, {@code store}, and fields a
 * newer service defines) is carried in {@code additional}, a JSON object of request fields passed to the
 * service unchanged and journaled with the turn: {@link #withOption(String, String)} sets one,
 * {@link #withBackground(boolean)} the common one. Continuity does not interpret them (except
 * {@code background}, which makes the client poll the response to its end); the service validates them.
 *
 * <p><b>Fields Continuity owns</b> are refused ({@link #OWNED_FIELDS}), because the journal and failover
 * depend on them: {@code input} (the turn's input items are the turn), {@code conversation} (the client
 * picks the conversation of the active region), {@code agent}, {@code agent_reference} and {@code model}
 * (the conversation's agent answers every turn), {@code stream} (the client needs the whole response to
 * journal it) and {@code previous_response_id}: a response id is local to the region that made it and
 * does not survive a failover (the secondary has no such response), so a turn that named one could not
 * be completed or replayed anywhere else; the regional conversation already carries the context.
 *
 * @param maxOutputTokens upper bound of generated tokens (the service's minimum is 16), or null
 * @param temperature sampling temperature 0..2, or null
 * @param topP nucleus sampling 0..1, or null
 * @param toolChoice the {@code tool_choice} value as JSON text, or null
 * @param text the {@code text} object as JSON text, or null
 * @param include the {@code include} values (e.g. {@code file_search_call.results}); empty for none
 * @param metadata the response's metadata (at most 16 pairs); empty for none
 * @param additional every other request field, as the text of a JSON object ({@code {"background":true,
 *     "reasoning":{"effort":"low"}}}), passed through unchanged; {@code "{}"} for none (null is read as none)
 */
public record TurnOptions(Integer maxOutputTokens, Double temperature, Double topP, String toolChoice, String text,
        List<String> include, Map<String, String> metadata, String additional) {

    /** Declared before {@link #NONE}, whose construction parses its additional fields. */
    private static final ObjectMapper MAPPER = dev.continuity.json.ExactJson.newMapper(); // numbers as given

    /** No options: the service's defaults. */
    public static final TurnOptions NONE = new TurnOptions(null, null, null, null, null, List.of(), Map.of(), "{}");

    /**
     * Request fields a turn cannot set, because Continuity sets them (see the class comment for why):
     * {@code input}, {@code conversation}, {@code agent}, {@code agent_reference}, {@code model},
     * {@code stream}, {@code previous_response_id}.
     */
    public static final Set<String> OWNED_FIELDS = Set.of("input", "conversation", "agent", "agent_reference", "model",
            "stream", "previous_response_id");

    private static final Set<String> FIELDS = Set.of("max_output_tokens", "temperature", "top_p", "tool_choice",
            "text", "include", "metadata");

    /** The typed options (no {@code additional} fields), as before additional fields were carried. */
    public TurnOptions(Integer maxOutputTokens, Double temperature, Double topP, String toolChoice, String text,
            List<String> include, Map<String, String> metadata) {
        this(maxOutputTokens, temperature, topP, toolChoice, text, include, metadata, "{}");
    }

    /** Validates the options and copies the collections. */
    public TurnOptions {
        if (maxOutputTokens != null && maxOutputTokens < 1) {
            throw new IllegalArgumentException("maxOutputTokens must be positive, got " + maxOutputTokens);
        }
        if (temperature != null && (temperature < 0 || temperature > 2)) {
            throw new IllegalArgumentException("temperature must be between 0 and 2, got " + temperature);
        }
        if (topP != null && (topP < 0 || topP > 1)) {
            throw new IllegalArgumentException("topP must be between 0 and 1, got " + topP);
        }
        if (toolChoice != null) {
            JsonNode node = parse(toolChoice, "toolChoice");
            if (!(node.isTextual() && Set.of("none", "auto", "required").contains(node.textValue()))
                    && !(node.isObject() && node.path("type").isTextual())) {
                throw new IllegalArgumentException("toolChoice must be \"none\", \"auto\", \"required\" or an object "
                        + "with a \"type\", got " + toolChoice);
            }
        }
        if (text != null && !parse(text, "text").isObject()) {
            throw new IllegalArgumentException("text must be a JSON object, got " + text);
        }
        include = include == null ? List.of() : List.copyOf(include);
        metadata = metadata == null ? Map.of() : Map.copyOf(metadata);
        if (metadata.size() > 16) {
            throw new IllegalArgumentException("metadata holds at most 16 pairs, got " + metadata.size());
        }
        additional = checkAdditional(additional);
    }

    /** The additional fields as a normalized JSON object text; refuses owned and typed fields. */
    private static String checkAdditional(String additional) {
        if (additional == null || additional.isBlank()) {
            return "{}";
        }
        JsonNode node = parse(additional, "additional options");
        if (!node.isObject()) {
            throw new IllegalArgumentException("additional options must be a JSON object of request fields, got "
                    + additional);
        }
        node.fieldNames().forEachRemaining(name -> {
            if (OWNED_FIELDS.contains(name)) {
                throw new IllegalArgumentException(ownedMessage(name));
            }
            if (FIELDS.contains(name)) {
                throw new IllegalArgumentException("turn option '" + name + "' is typed: set it with its wither (or "
                        + "withOption, which routes it there), not in the additional options");
            }
        });
        JsonNode background = node.get("background");
        if (background != null && !background.isNull() && !background.isBoolean()) {
            throw new IllegalArgumentException("turn option 'background' must be true or false, got " + background);
        }
        return dev.continuity.json.ExactJson.write(node);
    }

    private static String ownedMessage(String name) {
        String why = switch (name) {
            case "previous_response_id" -> "a response id is local to the region that made it and does not survive a "
                    + "failover; the conversation already carries the context";
            case "conversation" -> "the client sends every turn to the conversation of the active region";
            case "input" -> "the turn's input items are the turn";
            case "stream" -> "the client needs the whole response to journal it";
            default -> "every turn is answered by the conversation's agent";
        };
        return "turn option '" + name + "' is set by Continuity and cannot be passed: " + why;
    }

    /**
     * With one request field set to a JSON value, e.g. {@code withOption("reasoning", "{\"effort\":\"low\"}")}
     * or {@code withOption("truncation", "\"auto\"")}: a typed option ({@code temperature}, ...) goes to its
     * component, anything else to {@link #additional()}; JSON {@code null} removes the field.
     *
     * @throws IllegalArgumentException for a field Continuity owns ({@link #OWNED_FIELDS}, naming why), or a
     *     value that is not JSON
     */
    public TurnOptions withOption(String name, String jsonValue) {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("an option needs a name");
        }
        if (OWNED_FIELDS.contains(name)) {
            throw new IllegalArgumentException(ownedMessage(name));
        }
        JsonNode value = parse(jsonValue, "option '" + name + "'");
        ObjectNode all = (ObjectNode) parse(toJson(), "turn options");
        if (value.isNull()) {
            all.remove(name);
        } else {
            all.set(name, value);
        }
        return fromJson(dev.continuity.json.ExactJson.write(all));
    }

    /**
     * With {@code background}: the service answers at once ({@code queued}) and the client polls the
     * response until it ends, then commits the turn once (see {@code ContinuityClient}). The turn is journaled
     * pending before the create whatever the client's {@code TurnDurability}: with {@code ANSWER_ONLY} too
     * (one journal write more than a synchronous turn there), because the answer comes long after the call
     * and a process that dies while polling must leave the turn to {@code reconcilePendingTurns} or the
     * conversation's next send, which poll the same response instead of sending the turn again.
     */
    public TurnOptions withBackground(boolean value) {
        return withOption("background", Boolean.toString(value));
    }

    /** True when the turn is sent with {@code background: true}. */
    public boolean background() {
        return parse(additional, "additional options").path("background").asBoolean(false);
    }

    /** With {@code max_output_tokens}. */
    public TurnOptions withMaxOutputTokens(Integer tokens) {
        return new TurnOptions(tokens, temperature, topP, toolChoice, text, include, metadata, additional);
    }

    /** With {@code temperature}. */
    public TurnOptions withTemperature(Double value) {
        return new TurnOptions(maxOutputTokens, value, topP, toolChoice, text, include, metadata, additional);
    }

    /** With {@code top_p}. */
    public TurnOptions withTopP(Double value) {
        return new TurnOptions(maxOutputTokens, temperature, value, toolChoice, text, include, metadata, additional);
    }

    /** With {@code tool_choice} {@code none}, {@code auto} or {@code required}. */
    public TurnOptions withToolChoice(String mode) {
        return withToolChoiceJson(mode == null ? null : MAPPER.getNodeFactory().textNode(mode).toString());
    }

    /** With {@code tool_choice} forcing the named function. */
    public TurnOptions withToolChoiceFunction(String functionName) {
        ObjectNode node = MAPPER.createObjectNode().put("type", "function").put("name", functionName);
        return withToolChoiceJson(node.toString());
    }

    /** With {@code tool_choice} given as JSON text. */
    public TurnOptions withToolChoiceJson(String json) {
        return new TurnOptions(maxOutputTokens, temperature, topP, json, text, include, metadata, additional);
    }

    /** With the {@code text} object given as JSON text. */
    public TurnOptions withText(String json) {
        return new TurnOptions(maxOutputTokens, temperature, topP, toolChoice, json, include, metadata, additional);
    }

    /** With structured output: {@code text.format} a strict {@code json_schema} named {@code name}. */
    public TurnOptions withJsonSchema(String name, String schemaJson) {
        ObjectNode textNode = MAPPER.createObjectNode();
        ObjectNode format = textNode.putObject("format");
        format.put("type", "json_schema").put("name", name).put("strict", true);
        format.set("schema", parse(schemaJson, "schema"));
        return withText(textNode.toString());
    }

    /** With {@code include}. */
    public TurnOptions withInclude(List<String> values) {
        return new TurnOptions(maxOutputTokens, temperature, topP, toolChoice, text, values, metadata, additional);
    }

    /** With the response's {@code metadata}. */
    public TurnOptions withMetadata(Map<String, String> values) {
        return new TurnOptions(maxOutputTokens, temperature, topP, toolChoice, text, include, values, additional);
    }

    /** True when no option is set. */
    public boolean isEmpty() {
        return equals(NONE);
    }

    /**
     * The options as the request fields they set ({@code {"max_output_tokens":..,"tool_choice":..}}): the
     * journaled form, and what an adapter sends. Fields not set are absent.
     */
    public String toJson() {
        ObjectNode node = MAPPER.createObjectNode();
        if (maxOutputTokens != null) {
            node.put("max_output_tokens", maxOutputTokens);
        }
        if (temperature != null) {
            node.put("temperature", temperature);
        }
        if (topP != null) {
            node.put("top_p", topP);
        }
        if (toolChoice != null) {
            node.set("tool_choice", parse(toolChoice, "toolChoice"));
        }
        if (text != null) {
            node.set("text", parse(text, "text"));
        }
        if (!include.isEmpty()) {
            include.forEach(node.putArray("include")::add);
        }
        if (!metadata.isEmpty()) {
            ObjectNode meta = node.putObject("metadata");
            new java.util.TreeMap<>(metadata).forEach(meta::put);
        }
        node.setAll((ObjectNode) parse(additional, "additional options"));
        return dev.continuity.json.ExactJson.write(node);
    }

    /**
     * The options of {@link #toJson()}'s form; null or empty text gives {@link #NONE}. Fields other than the
     * typed ones go to {@link #additional()} unchanged, so every journaled form reads (turns journaled before
     * additional fields existed hold typed fields only).
     *
     * @throws IllegalArgumentException naming a field Continuity owns
     */
    public static TurnOptions fromJson(String json) {
        if (json == null || json.isBlank()) {
            return NONE;
        }
        JsonNode node = parse(json, "turn options");
        if (!node.isObject()) {
            throw new IllegalArgumentException("turn options must be a JSON object, got " + json);
        }
        for (String number : List.of("max_output_tokens", "temperature", "top_p")) {
            if (node.hasNonNull(number) && !node.get(number).isNumber()) {
                throw new IllegalArgumentException("turn option '" + number + "' must be a number, got "
                        + node.get(number));
            }
        }
        ObjectNode additional = MAPPER.createObjectNode();
        node.fields().forEachRemaining(field -> {
            if (!FIELDS.contains(field.getKey())) {
                additional.set(field.getKey(), field.getValue());
            }
        });
        List<String> include = new ArrayList<>();
        node.path("include").forEach(v -> include.add(v.asText()));
        Map<String, String> metadata = new LinkedHashMap<>();
        node.path("metadata").fields().forEachRemaining(e -> metadata.put(e.getKey(), e.getValue().asText()));
        return new TurnOptions(
                node.hasNonNull("max_output_tokens") ? node.get("max_output_tokens").asInt() : null,
                node.hasNonNull("temperature") ? node.get("temperature").asDouble() : null,
                node.hasNonNull("top_p") ? node.get("top_p").asDouble() : null,
                node.hasNonNull("tool_choice") ? dev.continuity.json.ExactJson.write(node.get("tool_choice")) : null,
                node.hasNonNull("text") ? dev.continuity.json.ExactJson.write(node.get("text")) : null,
                include, metadata, dev.continuity.json.ExactJson.write(additional));
    }

    private static JsonNode parse(String json, String what) {
        try {
            JsonNode node = MAPPER.readTree(json);
            if (node == null) {
                throw new IllegalArgumentException(what + " is empty");
            }
            return node;
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(what + " is not valid JSON: " + e.getOriginalMessage(), e);
        }
    }
}
