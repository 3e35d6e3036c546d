package dev.switchboard.socketio.parser;

/** Why an incoming Socket.IO packet was rejected; any of these means the connection should be closed. */
public enum SioParseError {
    UNKNOWN_TYPE("unknown packet type"),
    BAD_NAMESPACE("invalid namespace"),
    BAD_ACK_ID("invalid acknowledgement id"),
    BAD_JSON("invalid JSON payload"),
    BAD_PAYLOAD("invalid payload for the packet type"),
    BAD_EVENT_NAME("invalid event name"),
    BAD_ATTACHMENT_COUNT("illegal attachment count"),
    TOO_MANY_ATTACHMENTS("too many attachments"),
    BAD_PLACEHOLDER("invalid binary placeholder"),
    UNEXPECTED_BINARY("got binary data when not reconstructing a packet"),
    UNEXPECTED_TEXT("got plaintext data when reconstructing a packet"),
    PAYLOAD_TOO_LARGE("binary attachments too large");

    private final String message;

    SioParseError(String message) {
        this.message = message;
    }

    public String message() {
        return message;
    }
}
