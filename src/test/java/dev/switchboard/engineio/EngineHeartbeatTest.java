package dev.switchboard.engineio;

import org.junit.jupiter.api.Test;

import static dev.switchboard.engineio.EngineHarness.PING_INTERVAL;
import static dev.switchboard.engineio.EngineHarness.PING_TIMEOUT;
import static org.assertj.core.api.Assertions.assertThat;

class EngineHeartbeatTest {
    private final EngineHarness h = new EngineHarness();

    @Test
    void pingIsQueuedAtPingIntervalAndGoesToTheHeldGet() {
        String sid = h.handshake();
        FakePollExchange get = h.get(sid);
        h.scheduler.advance(PING_INTERVAL - 1);
        assertThat(get.answered()).isFalse();
        h.scheduler.advance(1);
        assertThat(get.bodyText()).isEqualTo("2");
    }

    @Test
    void pingWithoutHeldGetWaitsForTheNextGet() {
        String sid = h.handshake();
        h.scheduler.advance(PING_INTERVAL + 50);
        assertThat(h.get(sid).bodyText()).isEqualTo("2");
    }

    @Test
    void pongKeepsTheSessionAndTheNextPingComesPingIntervalAfterThePong() {
        String sid = h.handshake();
        for (int round = 0; round < 3; round++) {
            FakePollExchange get = h.get(sid);
            h.scheduler.advance(PING_INTERVAL);
            assertThat(get.bodyText()).as("round %d", round).isEqualTo("2");
            h.scheduler.advance(150);
            assertThat(h.post(sid, "3").bodyText()).isEqualTo("ok");
            FakePollExchange next = h.get(sid);
            h.scheduler.advance(PING_INTERVAL - 1);
            assertThat(next.answered()).isFalse();
            h.scheduler.advance(1);
            assertThat(next.bodyText()).isEqualTo("2");
            assertThat(h.post(sid, "3").bodyText()).isEqualTo("ok");
        }
        h.scheduler.advance(PING_INTERVAL + PING_TIMEOUT - 1);
        assertThat(h.listener().closes).isEmpty();
        assertThat(h.server.sessionCount()).isEqualTo(1);
    }

    @Test
    void missingPongClosesExactlyAtIntervalPlusTimeout() {
        String sid = h.handshake();
        FakePollExchange get = h.get(sid);
        h.scheduler.advance(PING_INTERVAL);
        assertThat(get.bodyText()).isEqualTo("2");
        FakePollExchange held = h.get(sid);
        h.scheduler.advance(PING_TIMEOUT - 1);
        assertThat(h.listener().closes).isEmpty();
        assertThat(held.answered()).isFalse();
        h.scheduler.advance(1);
        assertThat(h.listener().closes).containsExactly(CloseReason.PING_TIMEOUT);
        assertThat(held.bodyText()).isEqualTo("1");
        assertThat(h.scheduler.pendingTasks()).isZero();
        assertThat(h.server.sessionCount()).isZero();
        assertThat(h.get(sid).status()).isEqualTo(400);
    }

    @Test
    void sessionWithoutAnyRequestsClosesAt500() {
        String sid = h.handshake();
        h.scheduler.advance(PING_INTERVAL + PING_TIMEOUT);
        assertThat(h.listener().closes).containsExactly(CloseReason.PING_TIMEOUT);
        assertThat(h.scheduler.pendingTasks()).isZero();
        assertThat(h.get(sid).status()).isEqualTo(400);
    }

    @Test
    void otherPacketsDoNotCountAsPong() {
        String sid = h.handshake();
        h.scheduler.advance(PING_INTERVAL);
        h.post(sid, "4hello");
        h.scheduler.advance(PING_TIMEOUT);
        assertThat(h.listener().closes).containsExactly(CloseReason.PING_TIMEOUT);
    }

    @Test
    void unsolicitedPongIsIgnored() {
        String sid = h.handshake();
        h.scheduler.advance(100);
        assertThat(h.post(sid, "3").bodyText()).isEqualTo("ok");
        h.scheduler.advance(PING_INTERVAL - 100);
        assertThat(h.get(sid).bodyText()).isEqualTo("2");
        h.scheduler.advance(PING_TIMEOUT);
        assertThat(h.listener().closes).containsExactly(CloseReason.PING_TIMEOUT);
    }

    @Test
    void lazyCheckRejectsAGetWhenThePongTimerIsLate() {
        String sid = h.handshake();
        h.scheduler.advance(PING_INTERVAL);              // ping queued at 300, deadline 500
        assertThat(h.get(sid).bodyText()).isEqualTo("2");
        h.skew = PING_TIMEOUT;                           // clock at 500, the timer has not run
        assertThat(h.scheduler.pendingTasks()).isEqualTo(1);
        FakePollExchange late = h.get(sid);
        assertThat(late.status()).isEqualTo(400);
        assertThat(h.listener().closes).containsExactly(CloseReason.PING_TIMEOUT);
        assertThat(h.scheduler.pendingTasks()).isZero();
        assertThat(h.server.sessionCount()).isZero();
    }

    @Test
    void lazyCheckRejectsAPostWhenThePongTimerIsLate() {
        String sid = h.handshake();
        h.scheduler.advance(PING_INTERVAL);
        h.skew = PING_TIMEOUT + 5;
        assertThat(h.post(sid, "3").status()).isEqualTo(400);
        assertThat(h.listener().closes).containsExactly(CloseReason.PING_TIMEOUT);
    }

    @Test
    void lazyCheckRejectsAGetWhenEvenThePingTimerIsLate() {
        // the conformance test sleeps pingInterval + pingTimeout after the handshake and expects 400, whatever
        // the timer threads did meanwhile
        String sid = h.handshake();
        h.skew = PING_INTERVAL + PING_TIMEOUT;
        assertThat(h.scheduler.pendingTasks()).isEqualTo(1);
        assertThat(h.get(sid).status()).isEqualTo(400);
        assertThat(h.listener().closes).containsExactly(CloseReason.PING_TIMEOUT);
        assertThat(h.scheduler.pendingTasks()).isZero();
    }

    @Test
    void beforeTheDeadlineALateTimerDoesNotMatter() {
        String sid = h.handshake();
        h.skew = PING_INTERVAL + PING_TIMEOUT - 1;
        FakePollExchange get = h.get(sid);
        assertThat(get.answered()).isFalse();
        assertThat(h.listener().closes).isEmpty();
    }

    @Test
    void websocketHeartbeat() {
        EngineHarness.Ws ws = h.websocket(null);
        for (int round = 0; round < 3; round++) {
            h.scheduler.advance(PING_INTERVAL);
            assertThat(ws.connection().frames).last().isEqualTo("2");
            h.scheduler.advance(100);
            ws.text("3");
        }
        assertThat(ws.connection().texts()).hasSize(4);
        h.scheduler.advance(PING_INTERVAL);
        h.scheduler.advance(PING_TIMEOUT);
        assertThat(h.listener().closes).containsExactly(CloseReason.PING_TIMEOUT);
        assertThat(ws.connection().closed()).isTrue();
        assertThat(h.scheduler.pendingTasks()).isZero();
        assertThat(h.server.sessionCount()).isZero();
    }

    @Test
    void websocketLazyCheck() {
        EngineHarness.Ws ws = h.websocket(null);
        h.scheduler.advance(PING_INTERVAL);
        h.skew = PING_TIMEOUT;
        ws.text("3");
        assertThat(h.listener().closes).containsExactly(CloseReason.PING_TIMEOUT);
        assertThat(ws.connection().closed()).isTrue();
        assertThat(h.scheduler.pendingTasks()).isZero();
    }
}
