package dev.switchboard.socketio.parser;

/** Socket.IO v5 packet types; the code is the single digit that starts a packet on the wire. */
public enum SioPacketType {
    CONNECT(0),
    DISCONNECT(1),
    EVENT(2),
    ACK(3),
    CONNECT_ERROR(4),
    BINARY_EVENT(5),
    BINARY_ACK(6);

    private static final SioPacketType[] BY_CODE = values();

    private final int code;

    SioPacketType(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }

    /** @throws IllegalArgumentException if no type has this code */
    public static SioPacketType fromCode(int code) {
        // declaration order equals code order, so the code is the index
        if (code < 0 || code >= BY_CODE.length) {
            throw new IllegalArgumentException("unknown Socket.IO packet type " + code);
        }
        return BY_CODE[code];
    }

    /** True for the types whose text is followed by binary attachment frames. */
    boolean isBinary() {
        return this == BINARY_EVENT || this == BINARY_ACK;
    }
}
