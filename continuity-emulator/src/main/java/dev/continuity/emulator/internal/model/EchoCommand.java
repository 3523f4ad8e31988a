package dev.continuity.emulator.internal.model;

import java.util.Optional;

/**
 * The fallback: {@code [<agent>@<version> in <region>] You said: <text>} (plain model responses:
 * {@code [<model> in <region>] You said: <text>}).
 */
public final class EchoCommand implements ScriptCommand {

    @Override
    public Optional<ModelReply> answer(ModelTurn turn, int trigger) {
        String text = trigger < 0 ? "" : turn.items().get(trigger).text();
        return Optional.of(ModelReply.message("[" + turn.speaker() + " in " + turn.region() + "] You said: " + text));
    }
}
