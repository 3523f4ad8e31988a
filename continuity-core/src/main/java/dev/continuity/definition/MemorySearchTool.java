package dev.continuity.definition;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.continuity.definition.internal.Json;
import java.util.Objects;

/**
 * Memories of earlier conversations ({@code "type": "memory_search"}). Names a logical memory store (a
 * key of the topology's {@code memory_stores}), which each region binds to its own store; rendered as the
 * spec's {@code MemorySearchTool} with the region's {@code memory_store_name}.
 *
 * @param memoryStore the logical memory store name
 * @param scope the spec's {@code scope}: the namespace memories are kept and searched in, a fixed
 *     string or {@code {{$userId}}} (the signed-in user)
 * @param options known wire options ({@code search_options}, {@code update_delay}), rendered into the tool
 * @param extra fields merged verbatim into the rendered tool
 */
public record MemorySearchTool(String memoryStore, String scope, ObjectNode options, ObjectNode extra)
        implements ToolSpec {

    /** The scope variable the service replaces with the signed-in user's id. */
    public static final String USER_ID_SCOPE = "{{$userId}}";

    /** Copies the JSON values. */
    public MemorySearchTool {
        Objects.requireNonNull(memoryStore, "memoryStore");
        Objects.requireNonNull(scope, "scope");
        options = Json.copyOrEmpty(options);
        extra = Json.copyOrEmpty(extra);
    }

    @Override
    public String type() {
        return "memory_search";
    }

    /** True when the scope depends on the caller ({@code {{$...}}} variables such as {@code {{$userId}}}). */
    public boolean scopeIsPerUser() {
        return scope.contains("{{$");
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
