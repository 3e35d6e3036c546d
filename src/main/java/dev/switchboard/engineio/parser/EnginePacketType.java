package dev.switchboard.engineio.parser;

/** Engine.IO v4 packet types; the code is the digit written on the wire. */
public enum EnginePacketType {
    OPEN, CLOSE, PING, PONG, MESSAGE, UPGRADE, NOOP;

    public char code() {
        return (char) ('0' + ordinal());
    }

    /** The type for a wire digit, or null when the character is not a packet type. */
    public static EnginePacketType fromCode(char c) {
        int i = c - '0';
        return i >= 0 && i < VALUES.length ? VALUES[i] : null;
    }

    private static final EnginePacketType[] VALUES = values();
}
