package dev.switchboard.socketio;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.engineio.CloseReason;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ParseErrorTest {

    @ParameterizedTest
    @ValueSource(strings = {"abc", "2{}", "2abc[\"message-with-ack\",1]"})
    void invalidPacketClosesTheConnectionWithParseError(String text) {
        SioHarness h = new SioHarness();
        FakeEngineSocket engine = h.open();
        Socket main = h.connect(engine, "/");
        Socket custom = h.connect(engine, "/custom");
        List<String> reasons = new ArrayList<>();
        main.onDisconnect(r -> reasons.add(r.text()));
        custom.onDisconnect(r -> reasons.add(r.text()));
        engine.receive(text);
        assertThat(engine.isOpen()).isFalse();
        assertThat(engine.closeReason()).isEqualTo(CloseReason.PARSE_ERROR);
        assertThat(reasons).containsExactly("parse error", "parse error");
        assertThat(h.scheduler.pendingTasks()).isZero();
    }

    @ParameterizedTest
    @ValueSource(strings = {"abc", "2{}"})
    void invalidFirstPacketAlsoCloses(String text) {
        SioHarness h = new SioHarness();
        FakeEngineSocket engine = h.open();
        engine.receive(text);
        assertThat(engine.closeReason()).isEqualTo(CloseReason.PARSE_ERROR);
        assertThat(h.scheduler.pendingTasks()).isZero();
    }
}
