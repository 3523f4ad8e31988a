package dev.continuity.emulator.internal.model;

/** The model's view of one conversation item. */
public interface ModelItem {

    /** The item types a conversation holds. */
    enum Type {
        /** A {@code message} item (any role). */
        MESSAGE,
        /** A {@code function_call} item emitted by the model. */
        FUNCTION_CALL,
        /** A {@code function_call_output} item sent by the application. */
        FUNCTION_CALL_OUTPUT,
        /**
         * Any other item type of the specification (hosted-tool calls such as {@code file_search_call},
         * MCP items, {@code reasoning}, ...): {@link #itemType()} names it.
         */
        TOOL_ITEM
    }

    /** The item's type. */
    Type type();

    /** The message role ({@code user}, {@code assistant}, {@code system}, {@code developer}); null otherwise. */
    String role();

    /**
     * The item's text: a message's text parts joined, a function call's arguments, a function call
     * output's output.
     */
    String text();

    /** The {@code call_id} of a function call or function call output; null otherwise. */
    String callId();

    /** The function name of a function call; null otherwise. */
    String name();

    /** The item's {@code type} as the API spells it ({@code message}, {@code mcp_approval_request}, ...). */
    default String itemType() {
        return switch (type()) {
            case MESSAGE -> "message";
            case FUNCTION_CALL -> "function_call";
            case FUNCTION_CALL_OUTPUT -> "function_call_output";
            case TOOL_ITEM -> throw new IllegalStateException("a TOOL_ITEM names its own type");
        };
    }

    /**
     * A top-level field of the item as text (a string's value, any other JSON value as JSON text), or
     * null when absent or null. Lets commands read items of any type ({@code id}, {@code approve}, ...).
     */
    default String field(String name) {
        return null;
    }

    /** True for a message with role {@code user}. */
    default boolean isUserMessage() {
        return type() == Type.MESSAGE && "user".equals(role());
    }
}
