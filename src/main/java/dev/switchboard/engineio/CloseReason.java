package dev.switchboard.engineio;

/** Why an Engine.IO session closed; the text is what the reference server reports to the layer above. */
public enum CloseReason {
    TRANSPORT_CLOSE("transport close"),
    TRANSPORT_ERROR("transport error"),
    PING_TIMEOUT("ping timeout"),
    PARSE_ERROR("parse error"),
    FORCED_CLOSE("forced close"),
    SERVER_SHUTDOWN("server shutting down"),
    /** The client did not take its data fast enough: its send queue went over its bound. Not in the reference. */
    SLOW_CONSUMER("slow consumer");

    private final String text;

    CloseReason(String text) {
        this.text = text;
    }

    public String text() {
        return text;
    }

    /** The server chose to close (not the client, its network or its bad input): the client is to be told. */
    public boolean byServer() {
        return this == FORCED_CLOSE || this == SERVER_SHUTDOWN;
    }
}
