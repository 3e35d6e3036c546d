package dev.switchboard.socketio.parser;

/** The only exception the decoder lets out: a malformed or disallowed packet from the peer. */
public final class SioParseException extends Exception {

    private static final long serialVersionUID = 1L;

    private final SioParseError error;

    public SioParseException(SioParseError error, String detail) {
        super(error.message() + (detail == null || detail.isEmpty() ? "" : ": " + detail));
        this.error = error;
    }

    public SioParseError error() {
        return error;
    }
}
