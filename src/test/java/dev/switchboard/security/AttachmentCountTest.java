package dev.switchboard.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.socketio.parser.SioDecoder;
import dev.switchboard.socketio.parser.SioDecoderLimits;
import dev.switchboard.socketio.parser.SioParseError;
import dev.switchboard.socketio.parser.SioParseException;
import java.lang.management.ManagementFactory;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/**
 * CVE-2026-33151 (socket.io-parser): the declared attachment count of a BINARY_* header was not bounded, so a client
 * could make the server wait for, and size buffers after, a count it never intends to send. Here the count is parsed
 * without overflow, checked against the cap before anything waits, and never used to size an allocation.
 */
@DisplayName("CVE-2026-33151: an unbounded declared attachment count is refused before anything waits or allocates")
class AttachmentCountTest {

    @ParameterizedTest(name = "CVE-2026-33151: declared count {0} closes the connection at once")
    @ValueSource(strings = {"11", "99999999", "2147483647", "2147483648", "99999999999999999999999999999999"})
    void declaredCountOverTheDefaultCapClosesAtOnce(String count) {
        SioVictim v = new SioVictim(SioDecoderLimits.defaults(), "upload");
        v.engine.receive("5" + count + "-[\"upload\",{\"_placeholder\":true,\"num\":0}]");
        v.assertClosedForParseError();
        v.assertServerStillServes();
    }

    @ParameterizedTest(name = "CVE-2026-33151: declared count {0} is rejected by the decoder as TOO_MANY_ATTACHMENTS")
    @ValueSource(strings = {"11", "99999999", "99999999999999999999999999999999"})
    void decoderReportsTooManyAttachments(String count) {
        SioDecoder decoder = new SioDecoder(SioDecoderLimits.defaults());
        assertThatThrownBy(() -> decoder.decodeText("6" + count + "-7[{\"_placeholder\":true,\"num\":0}]"))
                .isInstanceOfSatisfying(SioParseException.class,
                        e -> assertThat(e.error()).isEqualTo(SioParseError.TOO_MANY_ATTACHMENTS));
        assertThat(decoder.awaitingAttachments()).isFalse();
    }

    @Test
    @DisplayName("CVE-2026-33151: even with no cap, a declared count of 99999999 allocates nothing proportional to it")
    void declaredCountNeverSizesAnAllocation() throws Exception {
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        SioDecoder decoder = new SioDecoder(new SioDecoderLimits(Integer.MAX_VALUE, 1_000_000));
        decoder.decodeText("51-[\"warmup\",{\"_placeholder\":true,\"num\":0}]"); // load and JIT the code paths once
        decoder.decodeBinary(new byte[1]);

        long before = threads.getCurrentThreadAllocatedBytes();
        assertThat(decoder.decodeText("599999999-[\"upload\",{\"_placeholder\":true,\"num\":0}]")).isEmpty();
        decoder.decodeBinary(new byte[] {1});
        long allocated = threads.getCurrentThreadAllocatedBytes() - before;

        // a list or array pre-sized from the count would take at least 400 MB here
        assertThat(allocated).as("bytes allocated for a 99999999-attachment header").isLessThan(1_000_000);
        assertThat(decoder.awaitingAttachments()).isTrue();
        decoder.reset();
        assertThat(decoder.awaitingAttachments()).isFalse();
    }
}
