package dev.switchboard.socketio;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.engineio.CloseReason;
import org.junit.jupiter.api.Test;

class ConnectTimeoutTest {

    @Test
    void connectionWithoutConnectIsClosedAfterTheTimeout() {
        SioHarness h = new SioHarness();
        FakeEngineSocket engine = h.open();
        h.scheduler.advance(999);
        assertThat(engine.isOpen()).isTrue();
        h.scheduler.advance(1);
        assertThat(engine.isOpen()).isFalse();
        assertThat(engine.closeReason()).isEqualTo(CloseReason.FORCED_CLOSE);
        assertThat(h.server.clientCount()).isZero();
    }

    @Test
    void firstConnectCancelsTheTimer() {
        SioHarness h = new SioHarness();
        h.server.of("/custom");
        FakeEngineSocket engine = h.open();
        assertThat(h.scheduler.pendingTasks()).isEqualTo(1);
        engine.receive("0/custom");
        assertThat(h.scheduler.pendingTasks()).isZero();
        h.scheduler.advance(5000);
        assertThat(engine.isOpen()).isTrue();
    }

    @Test
    void refusedConnectDoesNotCancelTheTimer() {
        SioHarness h = new SioHarness();
        FakeEngineSocket engine = h.open();
        engine.receive("0/random");
        h.scheduler.advance(1000);
        assertThat(engine.isOpen()).isFalse();
    }
}
