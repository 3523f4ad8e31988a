package dev.continuity.emulator.model;

/** The model's view of one conversation item. */
public interface ModelItem {

    /** The item types a conversation holds. */
    enum Type {
        /** A {@code message} item (any role). */
        MESSAGE,
        /** A {@code function_call} item emitted by the model. */
        FUNCTION_CALL,
        /** A {@code function_call_output} item sent by the application. */
        FUNCTION_CALL_OUTPUT
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

    /** True for a message with role {@code user}. */
    default boolean isUserMessage() {
        return type() == Type.MESSAGE && "user".equals(role());
    }
}
