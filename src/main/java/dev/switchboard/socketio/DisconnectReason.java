package dev.switchboard.socketio;

import dev.switchboard.engineio.CloseReason;

/** Why a socket left its namespace; {@link #text()} is the reference server's string. */
public enum DisconnectReason {
    TRANSPORT_CLOSE("transport close", true),
    TRANSPORT_ERROR("transport error", true),
    PING_TIMEOUT("ping timeout", true),
    PARSE_ERROR("parse error", false),
    SERVER_NAMESPACE_DISCONNECT("server namespace disconnect", false),
    CLIENT_NAMESPACE_DISCONNECT("client namespace disconnect", false),
    SERVER_SHUTTING_DOWN("server shutting down", true),
    FORCED_CLOSE("forced close", true),
    /** The connection was closed because the client fell behind (its send queue bound); the client reconnects. */
    SLOW_CONSUMER("slow consumer", true);

    private final String text;
    private final boolean recoverable;

    DisconnectReason(String text, boolean recoverable) {
        this.text = text;
        this.recoverable = recoverable;
    }

    public String text() {
        return text;
    }

    /** Whether connection state recovery keeps the session after this reason (as in the reference). */
    public boolean recoverable() {
        return recoverable;
    }

    public static DisconnectReason of(CloseReason reason) {
        return switch (reason) {
            case TRANSPORT_CLOSE -> TRANSPORT_CLOSE;
            case TRANSPORT_ERROR -> TRANSPORT_ERROR;
            case PING_TIMEOUT -> PING_TIMEOUT;
            case PARSE_ERROR -> PARSE_ERROR;
            case FORCED_CLOSE -> FORCED_CLOSE;
            case SERVER_SHUTDOWN -> SERVER_SHUTTING_DOWN;
            case SLOW_CONSUMER -> SLOW_CONSUMER;
        };
    }

    @Override
    public String toString() {
        return text;
    }
}
