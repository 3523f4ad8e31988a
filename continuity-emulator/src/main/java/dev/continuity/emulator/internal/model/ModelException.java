package dev.continuity.emulator.internal.model;

/** The scripted model refuses the request; the emulator answers 400 with this message. */
public final class ModelException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** Creates the exception with a message naming the offending value. */
    public ModelException(String message) {
        super(message);
    }
}
