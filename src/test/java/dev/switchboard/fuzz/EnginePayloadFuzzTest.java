package dev.switchboard.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.switchboard.engineio.parser.EnginePacket;
import dev.switchboard.engineio.parser.EngineParseException;
import dev.switchboard.engineio.parser.EngineParser;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Coverage-guided fuzzing of the Engine.IO codec: any string (a polling body or a WebSocket text frame) either fails
 * with {@link EngineParseException} or decodes into packets that re-encode and decode to the same packets.
 *
 * <p>Plain {@code mvn test} runs this in regression mode: only the seeds in
 * {@code src/test/resources/dev/switchboard/fuzz/EnginePayloadFuzzTestInputs/<method>/} (which also keep every crash
 * found so far). To fuzz for real, one test method per JVM:
 * {@code JAZZER_FUZZ=1 mvn test -Dtest='EnginePayloadFuzzTest#payloadRoundTrips'}, bounded by {@code maxDuration}
 * below so that a CI run stays short. To fuzz longer without editing it, append a libFuzzer flag (the last one wins):
 * {@code -Djazzer.internal.arg.0=fuzz -Djazzer.internal.arg.1=-max_total_time=3600}. New findings are written to that
 * Inputs folder: fix them and keep them there as regression seeds.
 *
 * <p>The input is the raw fuzzer bytes read as UTF-8, exactly as the polling transport turns a body into text.
 */
class EnginePayloadFuzzTest {

    @FuzzTest(maxDuration = "30s")
    void payloadRoundTrips(byte[] input) {
        String payload = new String(input, StandardCharsets.UTF_8);
        List<EnginePacket> packets;
        try {
            packets = EngineParser.decodePayload(payload);
        } catch (EngineParseException expected) {
            return;
        }
        assertThat(packets).isNotEmpty();
        String encoded = EngineParser.encodePayload(packets);
        List<EnginePacket> again;
        try {
            again = EngineParser.decodePayload(encoded);
        } catch (EngineParseException e) {
            throw new AssertionError("re-encoded payload does not decode: " + e.getMessage(), e);
        }
        assertThat(again).containsExactlyElementsOf(packets);
        assertThat(EngineParser.encodePayload(again)).isEqualTo(encoded);
    }

    @FuzzTest(maxDuration = "30s")
    void textFrameRoundTrips(byte[] input) {
        String frame = new String(input, StandardCharsets.UTF_8);
        EnginePacket packet;
        try {
            packet = EngineParser.decodeText(frame);
        } catch (EngineParseException expected) {
            return;
        }
        String encoded = EngineParser.encodeText(packet);
        assertThat(encoded).isEqualTo(frame);
        try {
            assertThat(EngineParser.decodeText(encoded)).isEqualTo(packet);
        } catch (EngineParseException e) {
            throw new AssertionError("re-encoded frame does not decode: " + e.getMessage(), e);
        }
    }
}
