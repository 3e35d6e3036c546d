package dev.switchboard.socketio;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.engineio.CloseReason;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ShutdownTest {

    @Test
    void closeDisconnectsEverySocketAndCleansEveryTimer() {
        SioHarness h = new SioHarness();
        FakeEngineSocket ea = h.open();
        Socket a = h.connect(ea, "/");
        Socket custom = h.connect(ea, "/custom");
        FakeEngineSocket idle = h.open();
        List<String> reasons = new ArrayList<>();
        a.onDisconnect(r -> reasons.add(r.text()));
        custom.onDisconnect(r -> reasons.add(r.text()));
        a.timeout(60_000).emitWithAck("pending");
        assertThat(h.scheduler.pendingTasks()).isEqualTo(2);

        h.server.close();

        assertThat(reasons).containsExactly("server shutting down", "server shutting down");
        assertThat(ea.closeReason()).isEqualTo(CloseReason.SERVER_SHUTDOWN);
        assertThat(idle.closeReason()).isEqualTo(CloseReason.SERVER_SHUTDOWN);
        assertThat(h.scheduler.pendingTasks()).isZero();
        assertThat(h.server.clientCount()).isZero();

        FakeEngineSocket late = h.open();
        assertThat(late.isOpen()).isFalse();
    }
}
