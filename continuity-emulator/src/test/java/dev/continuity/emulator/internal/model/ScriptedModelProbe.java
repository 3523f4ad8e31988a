package dev.continuity.emulator.internal.model;

/** Test access to the model's package-private derivations. */
public final class ScriptedModelProbe {

    private ScriptedModelProbe() {
    }

    /** The call id the model derives for a conversation and item count. */
    public static String callId(String conversationId, int itemCount) {
        return CallCommand.callId(conversationId, itemCount);
    }
}
