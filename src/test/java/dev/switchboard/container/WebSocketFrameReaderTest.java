package dev.switchboard.container;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class WebSocketFrameReaderTest {
    private static final byte[] MASK = {0x12, 0x34, 0x56, 0x78};

    /** What the reader handed on, in order, as "text:..", "binary:n", "ping:n", "close:code:reason". */
    private final List<String> seen = new ArrayList<>();
    private final WebSocketFrameReader.Sink sink = new WebSocketFrameReader.Sink() {
        @Override public void text(String text) {
            seen.add("text:" + text);
        }

        @Override public void binary(byte[] data) {
            seen.add("binary:" + data.length);
        }

        @Override public void ping(byte[] payload) {
            seen.add("ping:" + new String(payload, StandardCharsets.UTF_8));
        }

        @Override public void close(int code, String reason) {
            seen.add("close:" + code + ":" + reason);
        }
    };

    /** A client frame: masked unless told otherwise. */
    private static byte[] frame(boolean fin, int opcode, byte[] payload, boolean masked) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write((fin ? 0x80 : 0) | opcode);
        int m = masked ? 0x80 : 0;
        if (payload.length < 126) {
            out.write(m | payload.length);
        } else if (payload.length <= 0xFFFF) {
            out.write(m | 126);
            out.write(payload.length >>> 8);
            out.write(payload.length);
        } else {
            out.write(m | 127);
            for (int i = 7; i >= 0; i--) {
                out.write((int) ((long) payload.length >>> (8 * i)));
            }
        }
        if (masked) {
            out.writeBytes(MASK);
        }
        for (int i = 0; i < payload.length; i++) {
            out.write(masked ? payload[i] ^ MASK[i & 3] : payload[i]);
        }
        return out.toByteArray();
    }

    private static byte[] text(String s) {
        return frame(true, 1, s.getBytes(StandardCharsets.UTF_8), true);
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }

    private void read(WebSocketFrameReader reader, byte[] bytes) throws WebSocketFrameReader.Failure {
        reader.read(ByteBuffer.wrap(bytes), sink);
    }

    @Test
    void readsWholeFramesAtEachLengthBoundaryAndSeveralInOneRead() throws Exception {
        WebSocketFrameReader reader = new WebSocketFrameReader(1_000_000);
        for (int len : new int[] {0, 125, 126, 65_535, 65_536, 200_000}) {
            read(reader, text("é".repeat(len / 2) + "x".repeat(len % 2)));
        }
        assertThat(seen).hasSize(6);
        assertThat(seen.get(5)).hasSize("text:".length() + 100_000);
        seen.clear();
        read(reader, concat(text("4a"), frame(true, 2, new byte[3], true), frame(true, 9, "hb".getBytes(), true),
                text("4b")));
        assertThat(seen).containsExactly("text:4a", "binary:3", "ping:hb", "text:4b");
    }

    @Test
    void reassemblesFramesSplitAcrossReadsAtEveryByte() throws Exception {
        byte[] stream = concat(text("first"), text("x".repeat(300)), frame(true, 8, new byte[] {0x03, (byte) 0xE8}, true));
        for (int cut = 1; cut < stream.length; cut++) {
            seen.clear();
            WebSocketFrameReader reader = new WebSocketFrameReader(1000);
            read(reader, java.util.Arrays.copyOfRange(stream, 0, cut));
            read(reader, java.util.Arrays.copyOfRange(stream, cut, stream.length));
            assertThat(seen).as("cut at %d", cut).containsExactly("text:first", "text:" + "x".repeat(300),
                    "close:1000:");
        }
    }

    @Test
    void joinsFragmentsWithControlFramesBetweenThem() throws Exception {
        WebSocketFrameReader reader = new WebSocketFrameReader(1000);
        read(reader, concat(frame(false, 1, "he".getBytes(), true), frame(true, 9, new byte[0], true),
                frame(false, 0, "ll".getBytes(), true), frame(true, 0, "o".getBytes(), true)));
        assertThat(seen).containsExactly("ping:", "text:hello");
    }

    @Test
    void refusesUnmaskedClientFrames() {
        WebSocketFrameReader reader = new WebSocketFrameReader(1000);
        assertThatThrownBy(() -> read(reader, frame(true, 1, "4x".getBytes(), false)))
                .isInstanceOfSatisfying(WebSocketFrameReader.Failure.class, f -> assertThat(f.code()).isEqualTo(1002));
        assertThat(seen).isEmpty();
    }

    @Test
    void refusesAMessageOverTheLimitFromItsHeaderAlone() {
        WebSocketFrameReader reader = new WebSocketFrameReader(1000);
        byte[] header = java.util.Arrays.copyOf(frame(true, 2, new byte[1001], true), 8); // no payload yet
        assertThatThrownBy(() -> read(reader, header))
                .isInstanceOfSatisfying(WebSocketFrameReader.Failure.class, f -> assertThat(f.code()).isEqualTo(1009));
        WebSocketFrameReader huge = new WebSocketFrameReader(1000);
        byte[] claimsExabytes = {(byte) 0x82, (byte) (0x80 | 127), 0x7F, -1, -1, -1, -1, -1, -1, -1};
        assertThatThrownBy(() -> read(huge, claimsExabytes))
                .isInstanceOfSatisfying(WebSocketFrameReader.Failure.class, f -> assertThat(f.code()).isEqualTo(1009));
    }

    @Test
    void countsEveryFragmentAgainstTheLimit() throws Exception {
        WebSocketFrameReader reader = new WebSocketFrameReader(10);
        read(reader, frame(false, 1, "123456".getBytes(), true));
        assertThatThrownBy(() -> read(reader, frame(true, 0, "78901".getBytes(), true)))
                .isInstanceOfSatisfying(WebSocketFrameReader.Failure.class, f -> assertThat(f.code()).isEqualTo(1009));
    }

    @Test
    void refusesWhatRfc6455Forbids() {
        List<byte[]> bad = List.of(
                new byte[] {(byte) 0xC1, (byte) 0x80, 1, 2, 3, 4},                      // RSV1 without an extension
                frame(true, 3, new byte[0], true),                                       // reserved data opcode
                frame(true, 11, new byte[0], true),                                      // reserved control opcode
                frame(false, 9, new byte[0], true),                                      // fragmented ping
                frame(true, 9, new byte[126], true),                                     // ping over 125 bytes
                frame(true, 0, "x".getBytes(), true),                                    // continuation of nothing
                concat(frame(false, 1, "a".getBytes(), true), text("b")),                // new message mid-message
                frame(true, 8, new byte[] {0x03}, true),                                 // one-byte close body
                frame(true, 8, new byte[] {0x03, (byte) 0xED}, true));                   // close code 1005 on the wire
        for (byte[] b : bad) {
            WebSocketFrameReader reader = new WebSocketFrameReader(1000);
            assertThatThrownBy(() -> read(reader, b))
                    .isInstanceOfSatisfying(WebSocketFrameReader.Failure.class, f -> assertThat(f.code()).isEqualTo(1002));
        }
    }

    @Test
    void refusesTextThatIsNotUtf8() {
        WebSocketFrameReader reader = new WebSocketFrameReader(1000);
        assertThatThrownBy(() -> read(reader, frame(true, 1, new byte[] {'4', (byte) 0xC3}, true)))
                .isInstanceOfSatisfying(WebSocketFrameReader.Failure.class, f -> assertThat(f.code()).isEqualTo(1007));
    }

    @Test
    void refusesEveryKindOfBrokenUtf8() {
        byte[][] broken = {
            {'4', (byte) 0xED, (byte) 0xA0, (byte) 0x80},                 // a UTF-16 surrogate, encoded
            {'4', (byte) 0xC0, (byte) 0xAF},                               // an overlong '/'
            {'4', (byte) 0xF4, (byte) 0x90, (byte) 0x80, (byte) 0x80},     // over U+10FFFF
            {'4', (byte) 0x80},                                            // a lone continuation byte
            {'4', (byte) 0xEF, (byte) 0xBF, (byte) 0xBD, (byte) 0xFF},     // a real U+FFFD, then garbage
        };
        for (byte[] payload : broken) {
            WebSocketFrameReader reader = new WebSocketFrameReader(1000);
            assertThatThrownBy(() -> read(reader, frame(true, 1, payload, true)))
                    .isInstanceOfSatisfying(WebSocketFrameReader.Failure.class, f -> assertThat(f.code()).isEqualTo(1007));
        }
    }

    @Test
    void acceptsUtf8ThatLooksLikeAReplacementAndEveryPlane() throws Exception {
        for (String text : new String[] {"4\uFFFD", "4plain ascii", "4caf\u00e9 \u4e2d\u6587 \ud83d\ude00"}) {
            WebSocketFrameReader reader = new WebSocketFrameReader(1000);
            read(reader, text(text));
            assertThat(seen).last().isEqualTo("text:" + text);
        }
    }

    @Test
    void serverFramesAreFinalUnmaskedAndCloseReasonsStayWithin125Bytes() {
        byte[] close = WebSocketFrames.close(1000, "é".repeat(100));
        assertThat(close[0] & 0xFF).isEqualTo(0x88);
        assertThat(close[1] & 0xFF).isLessThanOrEqualTo(125);
        String reason = new String(close, 4, close.length - 4, StandardCharsets.UTF_8);
        assertThat(reason).isEqualTo("é".repeat(61)); // 122 bytes: the 62nd character would be cut in two
        assertThat(WebSocketFrames.text("4hi")).containsExactly(0x81, 3, '4', 'h', 'i');
    }
}
