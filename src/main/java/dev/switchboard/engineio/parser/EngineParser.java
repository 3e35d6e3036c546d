package dev.switchboard.engineio.parser;

import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * Engine.IO v4 codec. Text packets are {@code <type digit><data>}; a polling payload joins packets with the record
 * separator 0x1E and writes binary messages as {@code b<base64>}. Stateless and thread-safe.
 */
public final class EngineParser {
    public static final char SEPARATOR = '\u001e';

    private EngineParser() {
    }

    /** The text form of a non-binary packet (a WebSocket text frame). */
    public static String encodeText(EnginePacket packet) {
        if (packet.isBinary()) {
            throw new IllegalArgumentException("binary packet has no text form");
        }
        return packet.text().isEmpty() ? String.valueOf(packet.type().code()) : packet.type().code() + packet.text();
    }

    public static EnginePacket decodeText(String frame) throws EngineParseException {
        if (frame == null || frame.isEmpty()) {
            throw new EngineParseException("empty packet");
        }
        EnginePacketType type = EnginePacketType.fromCode(frame.charAt(0));
        if (type == null) {
            throw new EngineParseException("unknown packet type");
        }
        return EnginePacket.of(type, frame.substring(1));
    }

    /** Joins packets for a polling response. */
    public static String encodePayload(List<EnginePacket> packets) {
        StringBuilder out = new StringBuilder();
        for (EnginePacket p : packets) {
            if (!out.isEmpty()) {
                out.append(SEPARATOR);
            }
            if (p.isBinary()) {
                out.append('b').append(Base64.getEncoder().encodeToString(p.binary()));
            } else {
                out.append(p.type().code()).append(p.text());
            }
        }
        return out.toString();
    }

    /** Splits a polling request body; any bad packet fails the whole payload. */
    public static List<EnginePacket> decodePayload(String payload) throws EngineParseException {
        if (payload == null || payload.isEmpty()) {
            throw new EngineParseException("empty payload");
        }
        List<EnginePacket> packets = new ArrayList<>();
        int start = 0;
        while (start <= payload.length()) {
            int end = payload.indexOf(SEPARATOR, start);
            if (end < 0) {
                end = payload.length();
            }
            packets.add(decodePayloadPart(payload.substring(start, end)));
            start = end + 1;
        }
        return packets;
    }

    private static EnginePacket decodePayloadPart(String part) throws EngineParseException {
        if (!part.isEmpty() && part.charAt(0) == 'b') {
            try {
                return EnginePacket.message(Base64.getDecoder().decode(part.substring(1)));
            } catch (IllegalArgumentException e) {
                throw new EngineParseException("bad base64 in binary packet");
            }
        }
        return decodeText(part);
    }
}
