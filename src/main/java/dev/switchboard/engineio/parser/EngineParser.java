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
        if (packets.size() == 1 && !packets.get(0).isBinary()) {
            return packets.get(0).type().code() + packets.get(0).text();
        }
        StringBuilder out = new StringBuilder(capacityOf(packets));
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

    private static int capacityOf(List<EnginePacket> packets) {
        long chars = 0;
        for (EnginePacket p : packets) {
            chars += 2 + (p.isBinary() ? (p.binary().length + 2) / 3 * 4 : p.text().length());
        }
        return (int) Math.min(chars, Integer.MAX_VALUE - 8);
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
                return EnginePacket.message(Base64.getDecoder().decode(withoutLineBreaks(part.substring(1))));
            } catch (IllegalArgumentException e) {
                throw new EngineParseException("bad base64 in binary packet");
            }
        }
        return decodeText(part);
    }

    /**
     * The Java client (io.socket engine.io-client 2.x) writes base64 with Android's DEFAULT flags: a line break every
     * 76 characters and one at the end. The reference server's decoder ignores them; so do we, but nothing else.
     */
    private static String withoutLineBreaks(String base64) {
        if (base64.indexOf('\n') < 0 && base64.indexOf('\r') < 0) {
            return base64;
        }
        StringBuilder out = new StringBuilder(base64.length());
        for (int i = 0; i < base64.length(); i++) {
            char c = base64.charAt(i);
            if (c != '\n' && c != '\r') {
                out.append(c);
            }
        }
        return out.toString();
    }
}
