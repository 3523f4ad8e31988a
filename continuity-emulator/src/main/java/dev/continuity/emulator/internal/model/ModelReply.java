package dev.continuity.emulator.internal.model;

import java.util.List;

/**
 * The scripted model's answer.
 *
 * @param outputs the output items, in order (never empty)
 */
public record ModelReply(List<ModelOutput> outputs) {

    /** Validates and copies the outputs. */
    public ModelReply {
        outputs = List.copyOf(outputs);
        if (outputs.isEmpty()) {
            throw new IllegalArgumentException("a reply needs at least one output");
        }
    }

    /** A reply made of one assistant message. */
    public static ModelReply message(String text) {
        return new ModelReply(List.of(new ModelOutput.Message(text)));
    }

    /** Characters of all outputs (for usage). */
    public int outputChars() {
        int chars = 0;
        for (ModelOutput output : outputs) {
            chars += output.chars();
        }
        return chars;
    }
}
