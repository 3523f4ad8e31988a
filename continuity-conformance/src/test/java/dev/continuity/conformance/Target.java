package dev.continuity.conformance;

/**
 * Where the emulator answers a spec operation: the operation, the prefix its path gets under the project
 * endpoint, and the api-version query it is called with (null: none).
 *
 * @param route short name of the route family: {@code preview} (Foundry 2025-11-15-preview document, paths as
 *     written), {@code v1} (Foundry v1 document), {@code openai} (OpenAI document under {@code /openai}, with the
 *     preview api-version: files and vector stores, which the Foundry document does not define) and
 *     {@code openai-v1} (OpenAI document under {@code /openai/v1}, no api-version)
 * @param operation the spec operation
 * @param prefix what goes before the document's path
 * @param apiVersion the api-version query value, or null
 */
record Target(String route, SpecOperation operation, String prefix, String apiVersion) {

    /** Stable id used in check ids and in known-exclusions.txt, e.g. {@code preview createConversation}. */
    String id() {
        return route + " " + operation.operationId();
    }

    /** Method and emulator path template, e.g. {@code POST /openai/conversations}. */
    String wire() {
        return operation.method() + " " + prefix + operation.path();
    }
}
