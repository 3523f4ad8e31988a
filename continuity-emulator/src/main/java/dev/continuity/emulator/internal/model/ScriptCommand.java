package dev.continuity.emulator.internal.model;

import java.util.Optional;

/** One command of the scripted model, tried in order until one answers. */
public interface ScriptCommand {

    /**
     * Answers the turn if this command applies to the trigger item.
     *
     * @param turn    the turn
     * @param trigger the index in {@code turn.items()} of the item acted on, or -1 when there is none
     * @return the reply, or empty when the command does not apply
     * @throws ModelException when the command applies but the request cannot be served
     */
    Optional<ModelReply> answer(ModelTurn turn, int trigger);
}
