package dev.continuity.client;

/** Answers a function tool call of the model; registered per tool name on the client builder. */
@FunctionalInterface
public interface FunctionHandler {

    /**
     * Runs the function.
     *
     * @param argumentsJson the arguments the model passed, as a JSON string
     * @return the output to send back to the model (often JSON)
     */
    String call(String argumentsJson) throws Exception;
}
