package dev.continuity.emulator.internal.model;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Objects;

/** One output item of a scripted-model answer. */
public sealed interface ModelOutput permits ModelOutput.Message, ModelOutput.FunctionCall, ModelOutput.ToolItem {

    /** Characters this output counts for usage. */
    int chars();

    /**
     * An assistant message.
     *
     * @param text      the message text
     * @param citations the files it cites (rendered as {@code file_citation} annotations), in order
     */
    record Message(String text, List<Citation> citations) implements ModelOutput {
        /** Validates the message and copies the citations. */
        public Message {
            Objects.requireNonNull(text, "text");
            citations = citations == null ? List.of() : List.copyOf(citations);
        }

        /** A message without citations. */
        public Message(String text) {
            this(text, List.of());
        }

        @Override
        public int chars() {
            return text.length();
        }
    }

    /**
     * A function call the application must execute.
     *
     * @param callId    the call id the application answers with a {@code function_call_output}
     * @param name      the function tool's name
     * @param arguments the arguments as JSON text
     */
    record FunctionCall(String callId, String name, String arguments) implements ModelOutput {
        /** Validates the call. */
        public FunctionCall {
            Objects.requireNonNull(callId, "callId");
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(arguments, "arguments");
        }

        @Override
        public int chars() {
            return name.length() + arguments.length();
        }
    }

    /**
     * An item of another type (a hosted tool's call such as {@code file_search_call}, MCP items,
     * {@code reasoning}), in the specification's shape; the service adds {@code id}.
     *
     * @param type   the item's {@code type}
     * @param fields the item's other fields, without {@code type} and {@code id} (copied)
     */
    record ToolItem(String type, ObjectNode fields) implements ModelOutput {
        /** Validates the item and copies its fields. */
        public ToolItem {
            Objects.requireNonNull(type, "type");
            fields = Objects.requireNonNull(fields, "fields").deepCopy();
        }

        @Override
        public int chars() {
            return fields.toString().length();
        }
    }
}
