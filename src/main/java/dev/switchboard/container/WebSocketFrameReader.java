package dev.switchboard.container;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Reads the WebSocket frames a client sends (RFC 6455, no extensions) from the bytes of one connection as they arrive,
 * in pieces of any size, and hands whole messages to a {@link Sink}.
 *
 * <p>Strict where the protocol is: a client frame must be masked, reserved bits clear, control frames final and at most
 * 125 bytes, continuation frames only inside a fragmented message, text valid UTF-8. A message (all its fragments)
 * longer than the limit is refused from its header, before its payload is read, so a client cannot make the server hold
 * more than the limit plus one frame header for it. Each breach ends the reading with a {@link Failure} that carries
 * the close code to send. Not thread-safe: one connection's reads come one after the other.
 */
final class WebSocketFrameReader {
    static final int OP_CONTINUATION = 0;
    static final int OP_TEXT = 1;
    static final int OP_BINARY = 2;
    static final int OP_CLOSE = 8;
    static final int OP_PING = 9;
    static final int OP_PONG = 10;
    private static final int MAX_HEADER = 14;

    /** What a connection does with the messages read. */
    interface Sink {
        void text(String text);

        void binary(byte[] data);

        void ping(byte[] payload);

        /** A close frame: its status code (1005 when it had none) and reason. */
        void close(int code, String reason);
    }

    /** A breach of the protocol or of the size limit; {@code code} is the close code to answer with. */
    static final class Failure extends Exception {
        private final int code;

        Failure(int code, String message) {
            super(message, null, false, false);
            this.code = code;
        }

        int code() {
            return code;
        }
    }

    private final int maxMessage;
    private byte[] pending = new byte[0];
    private int pendingLength;
    private int fragmentOpcode = -1;
    private byte[] fragments;
    private int fragmentsLength;

    WebSocketFrameReader(int maxMessage) {
        this.maxMessage = maxMessage;
    }

    /** Reads what arrived; whole frames are handled at once, a partial one is kept for the next call. */
    void read(ByteBuffer data, Sink sink) throws Failure {
        byte[] src;
        int off;
        int end;
        if (pendingLength == 0 && data.hasArray()) {
            src = data.array();
            off = data.arrayOffset() + data.position();
            end = off + data.remaining();
            data.position(data.limit());
        } else {
            int n = data.remaining();
            ensurePending(pendingLength + n);
            data.get(pending, pendingLength, n);
            pendingLength += n;
            src = pending;
            off = 0;
            end = pendingLength;
        }
        int used;
        while ((used = frame(src, off, end, sink)) > 0) {
            off += used;
        }
        keep(src, off, end);
    }

    /** Handles the frame at off if it is complete: returns its length, or 0 when more bytes are needed. */
    private int frame(byte[] b, int off, int end, Sink sink) throws Failure {
        int available = end - off;
        if (available < 2) {
            return 0;
        }
        int b0 = b[off] & 0xFF;
        int b1 = b[off + 1] & 0xFF;
        boolean fin = (b0 & 0x80) != 0;
        int opcode = b0 & 0x0F;
        if ((b0 & 0x70) != 0) {
            throw new Failure(1002, "reserved bits set (no extension was negotiated)");
        }
        if ((b1 & 0x80) == 0) {
            throw new Failure(1002, "client frames must be masked");
        }
        boolean control = opcode >= 8;
        if (control ? opcode > OP_PONG : opcode > OP_BINARY) {
            throw new Failure(1002, "unknown opcode " + opcode);
        }
        long length = b1 & 0x7F;
        int header = 2;
        if (length == 126) {
            if (available < 4) {
                return 0;
            }
            length = ((b[off + 2] & 0xFF) << 8) | (b[off + 3] & 0xFF);
            header = 4;
        } else if (length == 127) {
            if (available < 10) {
                return 0;
            }
            length = 0;
            for (int i = 2; i < 10; i++) {
                length = (length << 8) | (b[off + i] & 0xFF);
            }
            if (length < 0) {
                throw new Failure(1002, "frame length out of range");
            }
            header = 10;
        }
        if (control && (!fin || length > 125)) {
            throw new Failure(1002, "control frames must be final and at most 125 bytes");
        }
        if (!control) {
            checkSequence(opcode);
            long message = (opcode == OP_CONTINUATION ? fragmentsLength : 0) + length;
            if (message > maxMessage) {
                throw new Failure(1009, "message of more than " + maxMessage + " bytes");
            }
        }
        header += 4;
        if (available < header + length) {
            return 0;
        }
        int len = (int) length;
        byte[] payload = new byte[len];
        int mask = off + header - 4;
        int p = off + header;
        for (int i = 0; i < len; i++) {
            payload[i] = (byte) (b[p + i] ^ b[mask + (i & 3)]);
        }
        handle(fin, opcode, payload, sink);
        return header + len;
    }

    private void checkSequence(int opcode) throws Failure {
        if (opcode == OP_CONTINUATION && fragmentOpcode < 0) {
            throw new Failure(1002, "continuation frame without a message to continue");
        }
        if (opcode != OP_CONTINUATION && fragmentOpcode >= 0) {
            throw new Failure(1002, "new message before the fragmented one ended");
        }
    }

    private void handle(boolean fin, int opcode, byte[] payload, Sink sink) throws Failure {
        switch (opcode) {
            case OP_PING -> sink.ping(payload);
            case OP_PONG -> { } // unsolicited pongs are allowed; the engine's heartbeat is its own
            case OP_CLOSE -> close(payload, sink);
            case OP_CONTINUATION -> {
                appendFragment(payload);
                if (fin) {
                    int op = fragmentOpcode;
                    byte[] whole = Arrays.copyOf(fragments, fragmentsLength);
                    fragmentOpcode = -1;
                    fragments = null;
                    fragmentsLength = 0;
                    deliver(op, whole, sink);
                }
            }
            default -> {
                if (fin) {
                    deliver(opcode, payload, sink);
                } else {
                    fragmentOpcode = opcode;
                    fragments = payload;
                    fragmentsLength = payload.length;
                }
            }
        }
    }

    private void appendFragment(byte[] payload) {
        if (fragmentsLength + payload.length > fragments.length) {
            fragments = Arrays.copyOf(fragments, Math.max(fragmentsLength + payload.length, fragments.length * 2));
        }
        System.arraycopy(payload, 0, fragments, fragmentsLength, payload.length);
        fragmentsLength += payload.length;
    }

    private static void deliver(int opcode, byte[] payload, Sink sink) throws Failure {
        if (opcode == OP_TEXT) {
            sink.text(utf8(payload));
        } else {
            sink.binary(payload);
        }
    }

    private static void close(byte[] payload, Sink sink) throws Failure {
        if (payload.length == 0) {
            sink.close(1005, "");
            return;
        }
        if (payload.length == 1) {
            throw new Failure(1002, "close frame with a one-byte body");
        }
        int code = ((payload[0] & 0xFF) << 8) | (payload[1] & 0xFF);
        if (!validCloseCode(code)) {
            throw new Failure(1002, "invalid close code " + code);
        }
        sink.close(code, utf8(Arrays.copyOfRange(payload, 2, payload.length)));
    }

    static boolean validCloseCode(int code) {
        return (code >= 1000 && code <= 1003) || (code >= 1007 && code <= 1014) || (code >= 3000 && code <= 4999);
    }

    private static String utf8(byte[] bytes) throws Failure {
        // The JDK's own decoding is the fast one (no char[] between the bytes and the string), but it replaces what
        // is not UTF-8 with U+FFFD instead of failing: without a U+FFFD in its result the bytes were valid UTF-8.
        String text = new String(bytes, StandardCharsets.UTF_8);
        if (text.indexOf('\uFFFD') < 0) {
            return text;
        }
        try { // a U+FFFD the client sent, or bytes that are not UTF-8: only the strict decoder tells which
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw new Failure(1007, "text that is not UTF-8");
        }
    }

    private void ensurePending(int size) {
        if (size > pending.length) {
            // a frame is refused from its header when too long, so this stays under the limit plus a header
            pending = Arrays.copyOf(pending, Math.max(size, Math.min(pending.length * 2, maxMessage + MAX_HEADER + 4)));
        }
    }

    /** Keeps the unread tail (a partial frame) for the next read. */
    private void keep(byte[] src, int off, int end) {
        int rest = end - off;
        if (src == pending) {
            System.arraycopy(pending, off, pending, 0, rest);
        } else if (rest > 0) {
            ensurePending(rest);
            System.arraycopy(src, off, pending, 0, rest);
        }
        pendingLength = rest;
        if (rest == 0 && pending.length > 64 * 1024) {
            pending = new byte[0]; // a large message passed: do not hold its buffer for the life of the connection
        }
    }
}
