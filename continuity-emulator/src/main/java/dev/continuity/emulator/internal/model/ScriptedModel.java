package dev.continuity.emulator.internal.model;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The emulator's deterministic model. It acts on the last input item (or, with no input, the last
 * user message of the conversation) and tries its commands in order; the first that answers wins.
 *
 * <p>The default command list is: a {@code function_call_output} result, an {@code mcp_approval_response}
 * result, {@code remember}, {@code recall}, {@code call}, {@code mcp} (the responder's {@code mcp} tools),
 * {@code run} (its {@code code_interpreter}), {@code think} (a {@code reasoning} item), {@code search}
 * (over the responder's {@code file_search} vector stores in the answering region), and the echo
 * fallback. docs/emulator.md describes the grammar. Answers depend only on the turn (the agent's
 * definition, the region name and the conversation's items), never on time or randomness.
 */
public final class ScriptedModel {

    private final List<ScriptCommand> commands;

    /** A model with the given commands, tried in order; the list should end with a fallback. */
    public ScriptedModel(List<ScriptCommand> commands) {
        this.commands = List.copyOf(Objects.requireNonNull(commands, "commands"));
        if (this.commands.isEmpty()) {
            throw new IllegalArgumentException("a scripted model needs at least one command");
        }
    }

    /** The standard model: function result, MCP approval, remember, recall (memory_search first), call, mcp, run, think, search, echo. */
    public static ScriptedModel standard() {
        return new ScriptedModel(List.of(new FunctionResultCommand(), new McpApprovalCommand(), new RememberCommand(),
                new MemoryRecallCommand(), new RecallCommand(), new CallCommand(), new McpCommand(), new RunCommand(), new ThinkCommand(),
                new SearchCommand(), new EchoCommand()));
    }

    /**
     * Answers one turn.
     *
     * @throws ModelException when the request cannot be served (e.g. an unknown function tool)
     */
    public ModelReply answer(ModelTurn turn) {
        int trigger = turn.triggerIndex();
        for (ScriptCommand command : commands) {
            Optional<ModelReply> reply = command.answer(turn, trigger);
            if (reply.isPresent()) {
                return reply.get();
            }
        }
        throw new ModelException("no scripted command answers this input");
    }
}
