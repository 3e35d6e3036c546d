package dev.switchboard.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.switchboard.socketio.parser.EncodedSioPacket;
import dev.switchboard.socketio.parser.SioDecoder;
import dev.switchboard.socketio.parser.SioDecoderLimits;
import dev.switchboard.socketio.parser.SioEncoder;
import dev.switchboard.socketio.parser.SioPacket;
import dev.switchboard.socketio.parser.SioParseException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * Coverage-guided fuzzing of the stateful Socket.IO decoder, fed a sequence of text and binary frames as one
 * connection would deliver them. Only {@link SioParseException} may leave the decoder (then, as the server does, the
 * connection is dropped: a fresh decoder takes the remaining frames); small limits make the attachment checks
 * reachable; every decoded packet must re-encode and decode to an equal packet.
 *
 * <p>Input format (readable seed files): frames are separated by a 0x00 byte; a frame starting with 0x01 is a binary
 * frame of the bytes after it, any other frame is a text frame (UTF-8, as the WebSocket container decodes it).
 *
 * <p>Plain {@code mvn test} runs the seeds in
 * {@code src/test/resources/dev/switchboard/fuzz/SioDecoderFuzzTestInputs/frameSequences/} (regression mode). To fuzz,
 * {@code JAZZER_FUZZ=1 mvn test -Dtest=SioDecoderFuzzTest}: bounded by {@code maxDuration}; to fuzz longer without
 * editing it, append a libFuzzer flag (the last one wins):
 * {@code -Djazzer.internal.arg.0=fuzz -Djazzer.internal.arg.1=-max_total_time=3600}. Findings land in the Inputs
 * folder above: fix them and keep them there as regression seeds.
 */
class SioDecoderFuzzTest {

    private static final SioDecoderLimits LIMITS = new SioDecoderLimits(3, 64);
    private static final SioEncoder ENCODER = new SioEncoder();

    @FuzzTest(maxDuration = "30s")
    void frameSequences(byte[] input) {
        SioDecoder decoder = new SioDecoder(LIMITS);
        for (byte[] frame : frames(input)) {
            Optional<SioPacket> decoded;
            try {
                if (frame.length > 0 && frame[0] == 0x01) {
                    decoded = decoder.decodeBinary(Arrays.copyOfRange(frame, 1, frame.length));
                } else {
                    decoded = decoder.decodeText(new String(frame, StandardCharsets.UTF_8));
                }
            } catch (SioParseException rejected) {
                // the server closes the connection: nothing of it may leak into the next one
                assertThat(rejected.error()).isNotNull();
                decoder = new SioDecoder(LIMITS);
                continue;
            }
            decoded.ifPresent(SioDecoderFuzzTest::assertRoundTrips);
        }
    }

    private static void assertRoundTrips(SioPacket packet) {
        EncodedSioPacket encoded = ENCODER.encode(packet);
        long total = encoded.attachments().stream().mapToLong(a -> a.length).sum();
        // a decoded packet never carries more than the limits let in: each attachment is referenced at most once,
        // so relaying it cannot multiply it
        assertThat(encoded.attachments().size()).isLessThanOrEqualTo(LIMITS.maxAttachments());
        assertThat(total).isLessThanOrEqualTo(LIMITS.maxBytes());

        // decoding what we send must not be limited by what we accept: generous limits for the way back
        SioDecoder fresh = new SioDecoder(new SioDecoderLimits(encoded.attachments().size(), Long.MAX_VALUE));
        Optional<SioPacket> again;
        try {
            again = fresh.decodeText(encoded.text());
            for (byte[] attachment : encoded.attachments()) {
                assertThat(again).as("complete before its attachments: %s", encoded.text()).isEmpty();
                again = fresh.decodeBinary(attachment.clone());
            }
        } catch (SioParseException e) {
            throw new AssertionError("encoder output rejected by the decoder: " + encoded.text() + " -> "
                    + e.getMessage(), e);
        }
        assertThat(again).as("incomplete after all attachments: %s", encoded.text()).isPresent();
        assertThat(fresh.awaitingAttachments()).isFalse();
        assertThat(again.get()).isEqualTo(packet);
        EncodedSioPacket reencoded = ENCODER.encode(again.get());
        assertThat(reencoded.text()).isEqualTo(encoded.text());
        assertThat(reencoded.attachments()).hasSameSizeAs(encoded.attachments());
        for (int i = 0; i < encoded.attachments().size(); i++) {
            assertThat(reencoded.attachments().get(i)).isEqualTo(encoded.attachments().get(i));
        }
    }

    /** Splits on 0x00; at most 64 frames, so one input stays cheap. */
    static List<byte[]> frames(byte[] input) {
        List<byte[]> out = new ArrayList<>();
        int start = 0;
        for (int i = 0; i <= input.length && out.size() < 64; i++) {
            if (i == input.length || input[i] == 0) {
                out.add(Arrays.copyOfRange(input, start, i));
                start = i + 1;
            }
        }
        return out;
    }
}
