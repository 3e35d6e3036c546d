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
        long length = 1L + utf8.length; // the type digit is one ASCII byte
        int header = length < 126 ? 2 : length <= 0xFFFF ? 4 : 10;
        byte[] frame = new byte[header + (int) length];
        frame[0] = (byte) 0x81; // FIN, opcode 1 (text)
        if (header == 2) {
            frame[1] = (byte) length;
        } else if (header == 4) {
            frame[1] = 126;
            frame[2] = (byte) (length >>> 8);
            frame[3] = (byte) length;
        } else {
            frame[1] = 127;
            for (int i = 0; i < 8; i++) {
                frame[2 + i] = (byte) (length >>> (8 * (7 - i)));
            }
        }
        frame[header] = (byte) type;
        System.arraycopy(utf8, 0, frame, header + 1, utf8.length);
        return frame;
    }
}
