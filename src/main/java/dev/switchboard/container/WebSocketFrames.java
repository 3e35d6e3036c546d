package dev.switchboard.container;

import java.nio.charset.StandardCharsets;

/** Frames a server sends (RFC 6455: final, unmasked); text packets of the engine go through {@link TextFrames}. */
final class WebSocketFrames {
    private WebSocketFrames() {
    }

    static byte[] frame(int opcode, byte[] payload) {
        int header = headerLength(payload.length);
        byte[] frame = new byte[header + payload.length];
        writeHeader(frame, opcode, payload.length);
        System.arraycopy(payload, 0, frame, header, payload.length);
        return frame;
    }

    /** Bytes of the header of an unmasked frame with this payload length (the shortest encoding, as RFC 6455 asks). */
    static int headerLength(long length) {
        return length < 126 ? 2 : length <= 0xFFFF ? 4 : 10;
    }

    /** Writes a final, unmasked frame's header at the start of the array. */
    static void writeHeader(byte[] frame, int opcode, long length) {
        int header = headerLength(length);
        frame[0] = (byte) (0x80 | opcode);
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
    }

    static byte[] text(String text) {
        return frame(WebSocketFrameReader.OP_TEXT, text.getBytes(StandardCharsets.UTF_8));
    }

    /** A close frame; the reason is cut to fit the 125-byte limit of a control frame. */
    static byte[] close(int code, String reason) {
        byte[] utf8 = reason.getBytes(StandardCharsets.UTF_8);
        int n = Math.min(utf8.length, 123);
        while (n < utf8.length && n > 0 && (utf8[n] & 0xC0) == 0x80) {
            n--; // do not cut a character in two
        }
        byte[] payload = new byte[2 + n];
        payload[0] = (byte) (code >>> 8);
        payload[1] = (byte) code;
        System.arraycopy(utf8, 0, payload, 2, n);
        return frame(WebSocketFrameReader.OP_CLOSE, payload);
    }
}
