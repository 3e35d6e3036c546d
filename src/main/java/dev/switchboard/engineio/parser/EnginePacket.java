package dev.switchboard.engineio.parser;

import java.util.Objects;

/**
 * One Engine.IO packet. Only MESSAGE packets may carry binary; every other packet carries text (possibly empty).
 * The byte array is not copied: callers hand over ownership.
 */
public record EnginePacket(EnginePacketType type, String text, byte[] binary) {
    public static final EnginePacket PING = new EnginePacket(EnginePacketType.PING, "", null);
    public static final EnginePacket PONG = new EnginePacket(EnginePacketType.PONG, "", null);
    public static final EnginePacket NOOP = new EnginePacket(EnginePacketType.NOOP, "", null);
    public static final EnginePacket CLOSE = new EnginePacket(EnginePacketType.CLOSE, "", null);
    public static final EnginePacket UPGRADE = new EnginePacket(EnginePacketType.UPGRADE, "", null);

    public EnginePacket {
        Objects.requireNonNull(type, "type");
        if (binary != null && (type != EnginePacketType.MESSAGE || text != null)) {
            throw new IllegalArgumentException("only a message packet may be binary, and then it has no text");
        }
        if (binary == null && text == null) {
            text = "";
        }
    }

    public static EnginePacket of(EnginePacketType type, String text) {
        return new EnginePacket(type, text, null);
    }

    public static EnginePacket message(String text) {
        return new EnginePacket(EnginePacketType.MESSAGE, text, null);
    }

    public static EnginePacket message(byte[] binary) {
        return new EnginePacket(EnginePacketType.MESSAGE, null, Objects.requireNonNull(binary));
    }

    public boolean isBinary() {
        return binary != null;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof EnginePacket p && p.type == type && Objects.equals(p.text, text)
                && java.util.Arrays.equals(p.binary, binary);
    }

    @Override
    public int hashCode() {
        return Objects.hash(type, text, java.util.Arrays.hashCode(binary));
    }

    @Override
    public String toString() {
        return isBinary() ? type + "[" + binary.length + " bytes]" : type + "[" + text.length() + " chars]";
    }
}
