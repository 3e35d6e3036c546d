package dev.switchboard.container;

import java.nio.charset.StandardCharsets;

/**
 * Builds the WebSocket frame of an Engine.IO text packet as a server sends it (RFC 6455: final, text, unmasked).
 *
 * <p>A broadcast hands the same body instance to the connection of every recipient, one after the other on the
 * broadcasting thread, so each thread remembers the last body it framed: the second and later recipients get the same
 * bytes without another UTF-8 encoding or frame. Strings are immutable, so the same instance means the same frame.
 * Only bodies up to {@link #CACHED_CHARS} are remembered, which bounds what a thread keeps alive.
 */
final class TextFrames {
    static final int CACHED_CHARS = 16_384;
    private static final ThreadLocal<Last> LAST = new ThreadLocal<>();

    private record Last(char type, String body, byte[] frame) {
    }

    private TextFrames() {
    }

    /** The frame for a packet; the array is shared with other recipients and must not be written to. */
    static byte[] frame(char type, String body) {
        Last last = LAST.get();
        if (last != null && last.body == body && last.type == type) {
            return last.frame;
        }
        byte[] frame = encode(type, body);
        if (body.length() <= CACHED_CHARS) {
            LAST.set(new Last(type, body, frame));
        }
        return frame;
    }

    static byte[] encode(char type, String body) {
        byte[] utf8 = body.getBytes(StandardCharsets.UTF_8);
        int length = 1 + utf8.length; // the type digit is one ASCII byte
        int header = WebSocketFrames.headerLength(length);
        byte[] frame = new byte[header + length];
        WebSocketFrames.writeHeader(frame, 1, length); // opcode 1: text
        frame[header] = (byte) type;
        System.arraycopy(utf8, 0, frame, header + 1, utf8.length);
        return frame;
    }
}
