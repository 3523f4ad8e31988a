package dev.continuity.emulator.internal.http;

import java.io.IOException;

/** A request the HTTP layer cannot parse; answered with {@link #status()} and the connection closed. */
final class BadRequestException extends IOException {

    private static final long serialVersionUID = 1L;

    private final int status;

    BadRequestException(int status, String message) {
        super(message);
        this.status = status;
    }

    int status() {
        return status;
    }
}
