package dev.continuity.emulator.internal.model;

import java.util.Optional;

/**
 * A {@code function_call_output} answers {@code NAME returned: OUTPUT}, NAME being the function of
 * the earlier {@code function_call} with the same {@code call_id}.
 */
public final class FunctionResultCommand implements ScriptCommand {

    @Override
    public Optional<ModelReply> answer(ModelTurn turn, int trigger) {
        if (trigger < 0) {
            return Optional.empty();
        }
        ModelItem output = turn.items().get(trigger);
        if (output.type() != ModelItem.Type.FUNCTION_CALL_OUTPUT) {
            return Optional.empty();
        }
        String name = output.callId();
        for (int i = trigger - 1; i >= 0; i--) {
            ModelItem item = turn.items().get(i);
            if (item.type() == ModelItem.Type.FUNCTION_CALL && output.callId().equals(item.callId())) {
                name = item.name();
                break;
            }
        }
        return Optional.of(ModelReply.message(name + " returned: " + output.text()));
    }
}
