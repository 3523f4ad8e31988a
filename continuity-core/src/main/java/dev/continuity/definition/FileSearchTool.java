package dev.continuity.definition;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.continuity.definition.internal.Json;
import java.util.List;

/**
 * Search over file knowledge ({@code "type": "file_search"}). Names logical knowledge sources; each
 * region binds them to its vector stores. A tool naming none (the bare {@code {"type":"file_search"}})
 * binds to the logical source {@value DefinitionLimits#DEFAULT_KNOWLEDGE_SOURCE}.
 *
 * @param knowledgeSources logical knowledge source names as written (empty for a bare tool)
 * @param options known wire options ({@code max_num_results}, {@code ranking_options},
 *     {@code filters}), rendered into the tool
 * @param extra fields merged verbatim into the rendered tool
 */
public record FileSearchTool(List<String> knowledgeSources, ObjectNode options, ObjectNode extra)
        implements ToolSpec {

    /** Copies the lists and JSON values. */
    public FileSearchTool {
        knowledgeSources = knowledgeSources == null ? List.of() : List.copyOf(knowledgeSources);
        options = Json.copyOrEmpty(options);
        extra = Json.copyOrEmpty(extra);
    }

    @Override
    public String type() {
        return "file_search";
    }

    /** The logical sources this tool binds to: those named, or the default source for a bare tool. */
    public List<String> boundKnowledgeSources() {
        return knowledgeSources.isEmpty() ? List.of(DefinitionLimits.DEFAULT_KNOWLEDGE_SOURCE) : knowledgeSources;
    }

    /** A copy of the options. */
    @Override
    public ObjectNode options() {
        return options.deepCopy();
    }

    /** A copy of the extra fields. */
    @Override
    public ObjectNode extra() {
        return extra.deepCopy();
    }
}
