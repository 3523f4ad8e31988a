package dev.continuity.emulator.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Set;

/**
 * The create-response options that shape neither the input nor the scripted model's answer, validated as
 * the specs type them (a wrong type is {@code invalid_type}, a value outside an enum or range
 * {@code invalid_value}, each naming the field) and echoed in the response as the Response schema has them:
 * {@code reasoning}, {@code truncation}, {@code parallel_tool_calls}, {@code max_tool_calls}, {@code user},
 * {@code safety_identifier}, {@code prompt_cache_key}, {@code prompt_cache_retention}, {@code service_tier},
 * {@code top_logprobs}, {@code prompt}, {@code stream_options}, {@code structured_inputs}.
 */
final class RequestOptions {

    private static final List<String> EFFORTS = List.of("none", "minimal", "low", "medium", "high", "xhigh");
    private static final List<String> SUMMARIES = List.of("auto", "concise", "detailed");
    private static final List<String> TRUNCATIONS = List.of("auto", "disabled");
    private static final List<String> SERVICE_TIERS = List.of("auto", "default", "flex", "scale", "priority");
    private static final List<String> CACHE_RETENTIONS = List.of("in-memory", "24h");

    private RequestOptions() {
    }

    /**
     * Validates the options of a create-response body.
     *
     * @return the response fields they set (defaults for {@code truncation}, {@code parallel_tool_calls} and
     *     {@code service_tier}; the others only when given)
     * @throws ApiException 400 naming the field
     */
    static ObjectNode validate(JsonNode body) {
        ObjectNode echo = Json.object();
        JsonNode reasoning = present(body, "reasoning");
        if (reasoning != null) {
            if (!reasoning.isObject()) {
                throw ApiException.badRequest("invalid_type", "'reasoning' must be an object {\"effort\":..,\"summary\":..}",
                        "reasoning");
            }
            Strictness.checkFields(reasoning, Set.of("effort", "summary", "generate_summary"), "reasoning");
            oneOf(reasoning, "effort", EFFORTS, "reasoning.effort");
            oneOf(reasoning, "summary", SUMMARIES, "reasoning.summary");
            oneOf(reasoning, "generate_summary", SUMMARIES, "reasoning.generate_summary");
            echo.set("reasoning", reasoning);
        }
        String truncation = oneOf(body, "truncation", TRUNCATIONS, "truncation");
        echo.put("truncation", truncation == null ? "disabled" : truncation);
        JsonNode parallel = present(body, "parallel_tool_calls");
        if (parallel != null && !parallel.isBoolean()) {
            throw ApiException.badRequest("invalid_type", "'parallel_tool_calls' must be a boolean", "parallel_tool_calls");
        }
        echo.put("parallel_tool_calls", parallel == null || parallel.booleanValue());
        integer(body, "max_tool_calls", 1, Integer.MAX_VALUE, echo);
        integer(body, "top_logprobs", 0, 20, echo);
        for (String field : List.of("user", "safety_identifier", "prompt_cache_key")) {
            JsonNode value = present(body, field);
            if (value != null) {
                if (!value.isTextual()) {
                    throw ApiException.badRequest("invalid_type", "'" + field + "' must be a string", field);
                }
                if ("safety_identifier".equals(field) && value.textValue().length() > 64) {
                    throw ApiException.badRequest("string_above_max_length", "Invalid 'safety_identifier': string too long."
                            + " Expected a string with maximum length 64, but got a string with length "
                            + value.textValue().length() + " instead.", field);
                }
                echo.set(field, value);
            }
        }
        String tier = oneOf(body, "service_tier", SERVICE_TIERS, "service_tier");
        echo.put("service_tier", tier == null || "auto".equals(tier) ? "default" : tier);
        String retention = oneOf(body, "prompt_cache_retention", CACHE_RETENTIONS, "prompt_cache_retention");
        if (retention != null) {
            echo.put("prompt_cache_retention", retention);
        }
        JsonNode prompt = present(body, "prompt");
        if (prompt != null) {
            if (!prompt.isObject()) {
                throw ApiException.badRequest("invalid_type", "'prompt' must be an object {\"id\":..}", "prompt");
            }
            Strictness.checkFields(prompt, Set.of("id", "version", "variables"), "prompt");
            if (!prompt.path("id").isTextual()) {
                throw ApiException.badRequest("missing_required_parameter", "'prompt.id' is required", "prompt.id");
            }
            JsonNode version = present(prompt, "version");
            if (version != null && !version.isTextual()) {
                throw ApiException.badRequest("invalid_type", "'prompt.version' must be a string", "prompt.version");
            }
            JsonNode variables = present(prompt, "variables");
            if (variables != null && !variables.isObject()) {
                throw ApiException.badRequest("invalid_type", "'prompt.variables' must be an object", "prompt.variables");
            }
            echo.set("prompt", prompt);
        }
        JsonNode streamOptions = present(body, "stream_options");
        if (streamOptions != null) {
            if (!streamOptions.isObject()) {
                throw ApiException.badRequest("invalid_type", "'stream_options' must be an object", "stream_options");
            }
            Strictness.checkFields(streamOptions, Set.of("include_obfuscation"), "stream_options");
        }
        JsonNode structured = present(body, "structured_inputs");
        if (structured != null && !structured.isObject()) {
            throw ApiException.badRequest("invalid_type", "'structured_inputs' must be an object", "structured_inputs");
        }
        return echo;
    }

    private static JsonNode present(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value == null || value.isNull() ? null : value;
    }

    /** The string value of an enum field (null when absent); anything else is 400 naming {@code param}. */
    private static String oneOf(JsonNode node, String field, List<String> values, String param) {
        JsonNode value = present(node, field);
        if (value == null) {
            return null;
        }
        if (!value.isTextual() || !values.contains(value.textValue())) {
            StringBuilder supported = new StringBuilder();
            for (int i = 0; i < values.size(); i++) {
                supported.append(i == 0 ? "" : i == values.size() - 1 ? " and " : ", ").append('\'')
                        .append(values.get(i)).append('\'');
            }
            throw ApiException.badRequest("invalid_value", "Invalid value: " + (value.isTextual() ? "'"
                    + value.textValue() + "'" : value.toString()) + ". Supported values are: " + supported + ".", param);
        }
        return value.textValue();
    }

    private static void integer(JsonNode body, String field, long min, long max, ObjectNode echo) {
        JsonNode value = present(body, field);
        if (value == null) {
            return;
        }
        if (!value.isIntegralNumber()) {
            throw ApiException.badRequest("invalid_type", "'" + field + "' must be an integer", field);
        }
        if (value.asLong() < min) {
            throw ApiException.badRequest("integer_below_min_value", "Invalid '" + field + "': integer below minimum"
                    + " value. Expected a value >= " + min + ", but got " + value.asLong() + " instead.", field);
        }
        if (value.asLong() > max) {
            throw ApiException.badRequest("integer_above_max_value", "Invalid '" + field + "': integer above maximum"
                    + " value. Expected a value <= " + max + ", but got " + value.asLong() + " instead.", field);
        }
        echo.put(field, value.asLong());
    }
}
