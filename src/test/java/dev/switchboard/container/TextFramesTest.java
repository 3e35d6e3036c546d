package dev.switchboard.container;

import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

class TextFramesTest {

    /** Reads a server frame as a client would (RFC 6455 5.2): final, text, unmasked; returns its payload. */
    private static String payload(byte[] frame) {
        ByteBuffer b = ByteBuffer.wrap(frame);
        assertThat(b.get() & 0xFF).as("FIN + text opcode").isEqualTo(0x81);
        int len7 = b.get() & 0xFF;
        assertThat(len7 & 0x80).as("server frames are not masked").isZero();
        long length = len7 < 126 ? len7 : len7 == 126 ? b.getShort() & 0xFFFF : b.getLong();
        if (len7 == 126) {
            assertThat(length).as("minimal length encoding").isGreaterThanOrEqualTo(126);
        } else if (len7 == 127) {
            assertThat(length).as("minimal length encoding").isGreaterThan(0xFFFF);
        }
        assertThat(b.remaining()).isEqualTo(length);
        byte[] data = new byte[b.remaining()];
        b.get(data);
        return new String(data, StandardCharsets.UTF_8);
    }

    @Test
    void framesTheTypeDigitAndBodyAtEachLengthBoundary() {
        for (int len : new int[] {0, 124, 125, 126, 65_534, 65_535, 65_536, 200_000}) {
            String body = "x".repeat(len);
            byte[] frame = TextFrames.encode('4', body);
            assertThat(payload(frame)).isEqualTo("4" + body);
            int payloadLength = len + 1;
            int header = payloadLength < 126 ? 2 : payloadLength <= 0xFFFF ? 4 : 10;
            assertThat(frame).hasSize(header + payloadLength);
        }
    }

    @Test
    void encodesTheBodyAsUtf8AndCountsBytesNotChars() {
        String body = "[\"chat\",\"h\u00e9llo \u4e16\u754c \uD83D\uDE00\"]";
        byte[] frame = TextFrames.encode('4', body);
        assertThat(payload(frame)).isEqualTo("4" + body);
        assertThat(frame[1]).isEqualTo((byte) (1 + body.getBytes(StandardCharsets.UTF_8).length));
    }

    @Test
    void aBroadcastBodyIsFramedOnceForEveryRecipient() {
        String body = "2[\"tick\"," + System.nanoTime() + "]";
        byte[] first = TextFrames.frame('4', body);
        assertThat(TextFrames.frame('4', body)).isSameAs(first);
        // an equal body that is another instance (another packet) and another type digit are framed anew
        assertThat(TextFrames.frame('4', new String(body))).isNotSameAs(first).isEqualTo(first);
        assertThat(payload(TextFrames.frame('3', body))).isEqualTo("3" + body);
    }

    @Test
    void aLargeBodyIsNotKeptByTheThread() {
        String big = "y".repeat(TextFrames.CACHED_CHARS + 1);
        byte[] first = TextFrames.frame('4', big);
        assertThat(TextFrames.frame('4', big)).isNotSameAs(first).isEqualTo(first);
    }
}
