package dev.switchboard.it.protocol;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * A WebSocket client on a bare java.net.Socket: a hand-made HTTP upgrade and hand-made frames, so a test can send
 * what no WebSocket library would (reserved bits and opcodes, unmasked or fragmented control frames, bad close codes)
 * and see exactly how the server answers (a close frame and its code, or the TCP connection dropped).
 */
final class RawWebSocket implements AutoCloseable {
    /** A frame as read: the first byte's flags and opcode, and the payload; or the end of the connection. */
    record Frame(int flags, int opcode, byte[] payload) {
        static final Frame EOF = new Frame(0, -1, new byte[0]);

        String text() {
            return new String(payload, StandardCharsets.UTF_8);
        }

        /** The status code of a close frame, 1005 if it has none, -1 if this is not a close frame. */
        int closeCode() {
            if (opcode != 8) {
                return -1;
            }
            return payload.length >= 2 ? ((payload[0] & 0xff) << 8) | (payload[1] & 0xff) : 1005;
        }
    }

    private static final SecureRandom RANDOM = new SecureRandom();
    final Socket socket;
    final InputStream in;
    final OutputStream out;
    /** The status line and headers of the server's answer to the upgrade request. */
    final String response;

    private RawWebSocket(Socket socket, String response) throws IOException {
        this.socket = socket;
        this.in = socket.getInputStream();
        this.out = socket.getOutputStream();
        this.response = response;
    }

    /** Opens a TCP connection to the deployment's host and port, nothing sent yet. */
    static Socket connect(URL base) throws IOException {
        Socket s = new Socket();
        s.connect(new InetSocketAddress(base.getHost(), base.getPort()), 5_000);
        s.setSoTimeout(10_000);
        s.setTcpNoDelay(true);
        return s;
    }

    /** The upgrade request for the path and query, headers ending with the blank line. */
    static String upgradeRequest(URL base, String pathAndQuery) {
        byte[] key = new byte[16];
        RANDOM.nextBytes(key);
        return "GET " + pathAndQuery + " HTTP/1.1\r\n"
                + "Host: " + base.getHost() + ":" + base.getPort() + "\r\n"
                + "Upgrade: websocket\r\n"
                + "Connection: Upgrade\r\n"
                + "Sec-WebSocket-Key: " + Base64.getEncoder().encodeToString(key) + "\r\n"
                + "Sec-WebSocket-Version: 13\r\n\r\n";
    }

    /** Upgrades and returns the client whatever the status; {@link #upgraded()} says whether it got a 101. */
    static RawWebSocket open(URL base, String pathAndQuery) throws IOException {
        Socket s = connect(base);
        s.getOutputStream().write(upgradeRequest(base, pathAndQuery).getBytes(StandardCharsets.US_ASCII));
        s.getOutputStream().flush();
        return new RawWebSocket(s, readHead(s.getInputStream()));
    }

    /** Upgrades on a socket the caller connected (from an address of its choice), with extra header lines. */
    static RawWebSocket open(Socket connected, URL base, String pathAndQuery, String extraHeaders) throws IOException {
        connected.setSoTimeout(10_000);
        String head = upgradeRequest(base, pathAndQuery);
        head = head.substring(0, head.length() - 2) + extraHeaders + "\r\n";
        connected.getOutputStream().write(head.getBytes(StandardCharsets.US_ASCII));
        connected.getOutputStream().flush();
        return new RawWebSocket(connected, readHead(connected.getInputStream()));
    }

    /** Reads an HTTP response head (up to the blank line), or what arrived before the connection ended. */
    static String readHead(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int matched = 0;
        while (matched < 4) {
            int b = in.read();
            if (b < 0) {
                break;
            }
            head.write(b);
            matched = (b == (matched % 2 == 0 ? '\r' : '\n')) ? matched + 1 : (b == '\r' ? 1 : 0);
        }
        return head.toString(StandardCharsets.ISO_8859_1);
    }

    boolean upgraded() {
        return response.startsWith("HTTP/1.1 101");
    }

    /** Sends a frame with the given first byte (FIN, RSV1-3, opcode), masked as a client must unless told not to. */
    void send(int firstByte, byte[] payload, boolean masked) throws IOException {
        ByteArrayOutputStream f = new ByteArrayOutputStream();
        f.write(firstByte);
        int maskBit = masked ? 0x80 : 0;
        if (payload.length < 126) {
            f.write(maskBit | payload.length);
        } else if (payload.length < 65536) {
            f.write(maskBit | 126);
            f.write(payload.length >>> 8);
            f.write(payload.length & 0xff);
        } else {
            f.write(maskBit | 127);
            for (int shift = 56; shift >= 0; shift -= 8) {
                f.write((int) ((long) payload.length >>> shift) & 0xff);
            }
        }
        if (masked) {
            byte[] mask = new byte[4];
            RANDOM.nextBytes(mask);
            f.writeBytes(mask);
            for (int i = 0; i < payload.length; i++) {
                f.write(payload[i] ^ mask[i % 4]);
            }
        } else {
            f.writeBytes(payload);
        }
        out.write(f.toByteArray());
        out.flush();
    }

    void sendText(String text) throws IOException {
        send(0x81, text.getBytes(StandardCharsets.UTF_8), true);
    }

    /** The next frame, {@link Frame#EOF} if the server closed or reset the TCP connection. */
    Frame read() throws IOException {
        try {
            int b0 = in.read();
            if (b0 < 0) {
                return Frame.EOF;
            }
            int b1 = readByte();
            long len = b1 & 0x7f;
            if (len == 126) {
                len = (readByte() << 8) | readByte();
            } else if (len == 127) {
                len = 0;
                for (int i = 0; i < 8; i++) {
                    len = (len << 8) | readByte();
                }
            }
            if (len > 10_000_000) {
                throw new IOException("frame of " + len + " bytes");
            }
            byte[] mask = (b1 & 0x80) != 0 ? in.readNBytes(4) : null;
            byte[] payload = in.readNBytes((int) len);
            if (payload.length < len) {
                return Frame.EOF;
            }
            if (mask != null) {
                for (int i = 0; i < payload.length; i++) {
                    payload[i] ^= mask[i % 4];
                }
            }
            return new Frame(b0 & 0xf0, b0 & 0x0f, payload);
        } catch (EOFException e) {
            return Frame.EOF;
        } catch (SocketTimeoutException e) {
            throw e;
        } catch (IOException e) {
            return Frame.EOF; // connection reset: the server dropped us
        }
    }

    /** The next frame that is not an Engine.IO ping; pings are answered (so the heartbeat never closes us). */
    Frame readAnsweringPings() throws IOException {
        while (true) {
            Frame f = read();
            if (f.opcode() == 1 && "2".equals(f.text())) {
                sendText("3");
                continue;
            }
            return f;
        }
    }

    private int readByte() throws IOException {
        int b = in.read();
        if (b < 0) {
            throw new EOFException();
        }
        return b;
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException ignored) {
            // already gone
        }
    }
}
