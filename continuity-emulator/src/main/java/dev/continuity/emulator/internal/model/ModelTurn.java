package dev.continuity.emulator.internal.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Everything the scripted model may look at for one response.
 *
 * @param region          the region answering
 * @param agentName       the agent's name, or null for a plain model response
 * @param agentVersion    the agent version answering, or null for a plain model response
 * @param model           the model deployment name
 * @param functionTools   names of the function tools available (the agent's, or the request's)
 * @param conversationId  the conversation's id, or null when the response has no conversation
 * @param items           the conversation's items in order, ending with this request's input items
 * @param inputCount      how many of the trailing {@code items} are this request's input
 * @param fileSearch      what the responder's {@code file_search} tools reach in this region
 *                        ({@link FileSearch#NONE} when it has none)
 * @param tools           the responder's tool definitions (the agent's or the request's), an array
 * @param include         the request's {@code include} values (e.g. {@code file_search_call.results})
 * @param store           the request's {@code store} (default true)
 * @param memorySearch    what the responder's {@code memory_search} tool reaches in this region
 *                        ({@link MemorySearch#NONE} when it has none)
 */
public record ModelTurn(String region, String agentName, String agentVersion, String model,
                        Set<String> functionTools, String conversationId,
                        List<? extends ModelItem> items, int inputCount, FileSearch fileSearch,
                        JsonNode tools, Set<String> include, boolean store,
                        MemorySearch memorySearch) {

    /** Validates the turn. */
    public ModelTurn {
        Objects.requireNonNull(region, "region");
        Objects.requireNonNull(model, "model");
        functionTools = functionTools == null ? Set.of() : functionTools;
        fileSearch = fileSearch == null ? FileSearch.NONE : fileSearch;
        memorySearch = memorySearch == null ? MemorySearch.NONE : memorySearch;
        tools = tools == null || !tools.isArray() ? JsonNodeFactory.instance.arrayNode() : tools;
        include = include == null ? Set.of() : Set.copyOf(include);
        Objects.requireNonNull(items, "items");
        if (inputCount < 0 || inputCount > items.size()) {
            throw new IllegalArgumentException("inputCount " + inputCount + " outside 0.." + items.size());
        }
    }

    /** A turn of a responder without a {@code memory_search} tool. */
    public ModelTurn(String region, String agentName, String agentVersion, String model,
                     Set<String> functionTools, String conversationId,
                     List<? extends ModelItem> items, int inputCount, FileSearch fileSearch,
                     JsonNode tools, Set<String> include, boolean store) {
        this(region, agentName, agentVersion, model, functionTools, conversationId, items, inputCount, fileSearch,
                tools, include, store, MemorySearch.NONE);
    }

    /** A turn of a responder without {@code file_search} tools. */
    public ModelTurn(String region, String agentName, String agentVersion, String model,
                     Set<String> functionTools, String conversationId,
                     List<? extends ModelItem> items, int inputCount) {
        this(region, agentName, agentVersion, model, functionTools, conversationId, items, inputCount, FileSearch.NONE,
                null, Set.of(), true, MemorySearch.NONE);
    }

    /** The responder's first tool of this {@code type} with this {@code server_label} (null: any label), or null. */
    public JsonNode tool(String type, String serverLabel) {
        for (JsonNode tool : (ArrayNode) tools) {
            if (type.equals(tool.path("type").asText())
                    && (serverLabel == null || serverLabel.equals(tool.path("server_label").asText()))) {
                return tool;
            }
        }
        return null;
    }

    /**
     * The item the model acts on: the last input item, or with no input the last user message of
     * the conversation; -1 when there is none.
     */
    public int triggerIndex() {
        if (inputCount > 0) {
            return items.size() - 1;
        }
        for (int i = items.size() - 1; i >= 0; i--) {
            if (items.get(i).isUserMessage()) {
                return i;
            }
        }
        return -1;
    }

    /** Who is answering, as shown in echo answers: {@code agent@version} or the model name. */
    public String speaker() {
        return agentName == null ? model : agentName + "@" + agentVersion;
    }

    /**
     * The command's match on the trigger: present when the trigger ({@code trigger} ≥ 0) is a message whose
     * text matches {@code command} as a whole, which is how every text command of the model starts.
     */
    public Optional<Matcher> triggerMessage(int trigger, Pattern command) {
        if (trigger < 0 || items.get(trigger).type() != ModelItem.Type.MESSAGE) {
            return Optional.empty();
        }
        Matcher m = command.matcher(items.get(trigger).text());
        return m.matches() ? Optional.of(m) : Optional.empty();
    }
}
