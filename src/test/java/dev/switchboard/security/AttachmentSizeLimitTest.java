package dev.switchboard.security;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.socketio.parser.SioDecoderLimits;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * CVE-2020-36049 (socket.io-parser &lt; 3.4.1): the decoder buffered binary attachments without any bound, and an
 * attacker could declare as many as they liked. Here a packet's attachments are capped in count (checked on the header,
 * before any waiting) and in total bytes (checked on every frame); either breach closes the connection at once.
 */
@DisplayName("CVE-2020-36049: binary attachments over maxBytes or over the count cap close the connection")
class AttachmentSizeLimitTest {

    private static final SioDecoderLimits LIMITS = new SioDecoderLimits(2, 10);
    private static final String TWO_PLACEHOLDERS =
            "52-[\"upload\",{\"_placeholder\":true,\"num\":0},{\"_placeholder\":true,\"num\":1}]";

    @Test
    @DisplayName("CVE-2020-36049: attachments totalling more than maxBytes close the connection on the frame that crosses it")
    void attachmentsOverMaxBytesClose() {
        SioVictim v = new SioVictim(LIMITS, "upload");
        v.engine.receive(TWO_PLACEHOLDERS);
        v.engine.receive(new byte[6]);
        assertThat(v.engine.isOpen()).as("6 of 10 bytes: still within the limit").isTrue();

        v.engine.receive(new byte[5]); // 11 > 10

        v.assertClosedForParseError();
    }

    @Test
    @DisplayName("CVE-2020-36049: a single attachment over maxBytes closes the connection")
    void oneHugeAttachmentCloses() {
        SioVictim v = new SioVictim(LIMITS, "upload");
        v.engine.receive("51-[\"upload\",{\"_placeholder\":true,\"num\":0}]");
        v.engine.receive(new byte[11]);
        v.assertClosedForParseError();
    }

    @Test
    @DisplayName("CVE-2020-36049: attachments of exactly maxBytes in total are delivered")
    void attachmentsAtTheLimitPass() {
        SioVictim v = new SioVictim(LIMITS, "upload");
        v.engine.receive(TWO_PLACEHOLDERS);
        v.engine.receive(new byte[5]);
        v.engine.receive(new byte[5]);
        assertThat(v.engine.isOpen()).isTrue();
        assertThat(v.seen).hasSize(2).allMatch(s -> s.contains("upload"));
    }

    @Test
    @DisplayName("CVE-2020-36049: declaring more attachments than the cap closes the connection on the header")
    void declaredCountOverTheCapClosesAtOnce() {
        SioVictim v = new SioVictim(LIMITS, "upload");
        v.engine.receive("53-[\"upload\",{\"_placeholder\":true,\"num\":0}]");
        // no attachment frame was needed to get here: nothing waits for the 3 declared ones
        v.assertClosedForParseError();
        v.assertServerStillServes();
    }

    @Test
    @DisplayName("CVE-2020-36049 (amplification): one attachment referenced twice closes the connection")
    void repeatedPlaceholderCloses() {
        // were it accepted, relaying the arguments would send the attachment once per reference: ~34,000 times for
        // a 1 MB text frame of placeholders, i.e. gigabytes out of one 2 MB packet in
        SioVictim v = new SioVictim(LIMITS, "upload");
        v.engine.receive("51-[\"upload\",{\"_placeholder\":true,\"num\":0},[{\"_placeholder\":true,\"num\":0}]]");
        v.assertClosedForParseError();
    }

    @Test
    @DisplayName("CVE-2020-36049: a declared count of 99999999 closes the connection at once")
    void hugeDeclaredCountClosesAtOnce() {
        SioVictim v = new SioVictim(LIMITS, "upload");
        v.engine.receive("599999999-[\"upload\",{\"_placeholder\":true,\"num\":0}]");
        v.assertClosedForParseError();
    }
}
