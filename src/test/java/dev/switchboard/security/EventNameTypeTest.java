package dev.switchboard.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.socketio.parser.SioDecoder;
import dev.switchboard.socketio.parser.SioDecoderLimits;
import dev.switchboard.socketio.parser.SioParseError;
import dev.switchboard.socketio.parser.SioParseException;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * CVE-2023-32695 (socket.io-parser &lt; 4.2.3): an EVENT whose first element was not a string (a number, null, an
 * object) passed the decoder and crashed the server where the name was used as a string. Here the event name must be
 * a string; anything else is a parse error that closes the connection before any application code runs.
 */
@DisplayName("CVE-2023-32695: non-string event names close the connection")
class EventNameTypeTest {

    @ParameterizedTest(name = "CVE-2023-32695: {0} closes the connection")
    @ValueSource(strings = {"2[1]", "2[null]", "2[{}]", "2[[]]", "2[true]", "2[1.5]", "2[]", "2{}", "2\"x\"",
            "2/,[1]", "21[null]", "2[{\"toString\":\"x\"},\"arg\"]", "51-[1,{\"_placeholder\":true,\"num\":0}]"})
    void nonStringEventNameClosesTheConnection(String packet) {
        SioVictim v = new SioVictim("1", "null", "{}", "true", "x");
        v.engine.receive(packet);
        v.assertClosedForParseError();
        v.assertServerStillServes();
    }

    @ParameterizedTest(name = "CVE-2023-32695: the decoder names {0} a bad event name, not an internal failure")
    @ValueSource(strings = {"2[1]", "2[null]", "2[{}]", "2[[]]", "2[true]", "51-[1,{\"_placeholder\":true,\"num\":0}]"})
    void decoderRejectsTheNameItself(String packet) {
        // rejected by the rule, not by some later code tripping over a non-string (which is what crashed the reference)
        assertThatThrownBy(() -> new SioDecoder(SioDecoderLimits.defaults()).decodeText(packet))
                .isInstanceOfSatisfying(SioParseException.class,
                        e -> assertThat(e.error()).isEqualTo(SioParseError.BAD_EVENT_NAME));
    }
}
