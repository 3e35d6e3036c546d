package dev.switchboard.engineio;

import dev.switchboard.engineio.transport.WebSocketHandler;
import org.junit.jupiter.api.Test;

import static dev.switchboard.engineio.EngineHarness.PING_INTERVAL;
import static dev.switchboard.engineio.EngineHarness.PING_TIMEOUT;
import static dev.switchboard.engineio.EngineHarness.RS;
import static dev.switchboard.engineio.EngineHarness.UPGRADE_TIMEOUT;
import static org.assertj.core.api.Assertions.assertThat;

class EngineUpgradeTest {
    private final EngineHarness h = new EngineHarness();

    @Test
    void probeThenUpgradeMovesTheSessionToTheWebSocket() {
        h.handler.echo = true;
        String sid = h.handshake();
        FakePollExchange held = h.get(sid);
        EngineHarness.Ws ws = h.websocket(sid);
        assertThat(ws.handler()).isNotSameAs(WebSocketHandler.CLOSED);
        assertThat(ws.connection().frames).as("no open packet on an upgrade").isEmpty();
        assertThat(held.answered()).isFalse();

        ws.text("2probe");
        assertThat(ws.connection().frames).containsExactly("3probe");
        assertThat(held.status()).isEqualTo(200);
        assertThat(held.bodyText()).isEqualTo("6");
        // a GET arriving during the upgrade is answered with a noop after a short hold
        FakePollExchange during = h.get(sid);
        assertThat(during.answered()).isFalse();
        h.scheduler.advance(EngineSession.UPGRADING_POLL_HOLD_MILLIS);
        assertThat(during.bodyText()).isEqualTo("6");

        ws.text("5");
        EngineSocket socket = h.handler.sockets.get(0);
        assertThat(socket.transportName()).isEqualTo("websocket");
        assertThat(socket.isWritable()).isTrue();
        socket.send("x");
        socket.send(new byte[]{1, 2, 3, 4});
        ws.text("4hello");
        ws.binary(new byte[]{9, 8});
        assertThat(ws.connection().frames).hasSize(5);
        assertThat(ws.connection().frames.get(1)).isEqualTo("4x");
        assertThat((byte[]) ws.connection().frames.get(2)).containsExactly(1, 2, 3, 4);
        assertThat(ws.connection().frames.get(3)).isEqualTo("4hello");
        assertThat((byte[]) ws.connection().frames.get(4)).containsExactly(9, 8);

        FakePollExchange after = h.get(sid);
        assertThat(after.status()).isEqualTo(400);
        assertThat(h.post(sid, "4x").status()).isEqualTo(400);

        EngineHarness.Ws second = h.websocket(sid);
        assertThat(second.connection().closed()).isTrue();
        assertThat(second.handler()).isSameAs(WebSocketHandler.CLOSED);
        assertThat(ws.connection().closed()).isFalse();
        assertThat(h.listener().closes).isEmpty();

        // heartbeat continues on the websocket
        h.scheduler.advance(PING_INTERVAL);
        assertThat(ws.connection().frames).last().isEqualTo("2");
        ws.text("3");
        ws.handler().onClose(false);
        assertThat(h.listener().closes).containsExactly(CloseReason.TRANSPORT_CLOSE);
        assertThat(h.scheduler.pendingTasks()).isZero();
        assertThat(h.server.sessionCount()).isZero();
    }

    @Test
    void packetsSentDuringTheUpgradeAreNeitherLostNorReordered() {
        String sid = h.handshake();
        EngineSocket socket = h.handler.sockets.get(0);
        socket.send("m1");
        EngineHarness.Ws ws = h.websocket(sid);
        socket.send("m2");
        ws.text("2probe");
        assertThat(socket.isWritable()).isFalse();
        socket.send("m3");
        socket.send(new byte[]{3});
        FakePollExchange get = h.get(sid);
        h.scheduler.advance(EngineSession.UPGRADING_POLL_HOLD_MILLIS);
        assertThat(get.bodyText()).isEqualTo("4m1" + RS + "4m2" + RS + "4m3" + RS + "bAw==" + RS + "6");
        socket.send("m4");
        socket.send("m5");
        ws.text("5");
        socket.send("m6");
        assertThat(ws.connection().frames).containsExactly("3probe", "4m4", "4m5", "4m6");
    }

    @Test
    void aGetThatRacesTheUpgradePacketIsRefusedOnceTheUpgradeCompletes() {
        String sid = h.handshake();
        EngineHarness.Ws ws = h.websocket(sid);
        ws.text("2probe");
        FakePollExchange racing = h.get(sid);
        ws.text("5");
        assertThat(racing.status()).isEqualTo(400);
        assertThat(h.scheduler.pendingTasks()).isEqualTo(1); // only the heartbeat
    }

    @Test
    void packetsQueuedWithNoGetDuringUpgradeGoToTheWebSocket() {
        String sid = h.handshake();
        EngineSocket socket = h.handler.sockets.get(0);
        EngineHarness.Ws ws = h.websocket(sid);
        ws.text("2probe");
        socket.send("a");
        h.scheduler.advance(PING_INTERVAL);  // the ping is queued during the upgrade too
        socket.send("b");
        ws.text("5");
        assertThat(ws.connection().frames).containsExactly("3probe", "4a", "2", "4b");
        ws.text("3");
        h.scheduler.advance(PING_TIMEOUT);
        assertThat(h.listener().closes).isEmpty();
    }

    @Test
    void upgradeTimeoutClosesTheProbeAndPollingGoesOn() {
        h.handler.echo = true;
        String sid = h.handshake();
        EngineHarness.Ws ws = h.websocket(sid);
        ws.text("2probe");
        FakePollExchange during = h.get(sid);
        h.scheduler.advance(EngineSession.UPGRADING_POLL_HOLD_MILLIS);
        assertThat(during.bodyText()).isEqualTo("6");
        // keep the heartbeat alive while waiting for the upgrade timeout
        long waited = 0;
        while (waited < UPGRADE_TIMEOUT) {
            h.scheduler.advance(PING_INTERVAL);
            waited += PING_INTERVAL;
            if (ws.connection().closed()) {
                break;
            }
            h.post(sid, "3");
        }
        assertThat(ws.connection().closed()).isTrue();
        assertThat(h.listener().closes).isEmpty();
        assertThat(h.server.sessionCount()).isEqualTo(1);
        EngineSocket socket = h.handler.sockets.get(0);
        assertThat(socket.transportName()).isEqualTo("polling");
        h.post(sid, "3");
        h.post(sid, "4after");
        String body = h.get(sid).bodyText();
        assertThat(body).endsWith("4after");
        assertThat(h.get(sid).answered()).isFalse();
        // the dead probe's frames are ignored
        ws.text("5");
        assertThat(socket.transportName()).isEqualTo("polling");
        ws.handler().onClose(false);
        assertThat(h.listener().closes).isEmpty();
    }

    @Test
    void upgradeTimeoutWithoutProbeAlsoEnds() {
        String sid = h.handshake();
        EngineHarness.Ws ws = h.websocket(sid);
        for (int i = 0; i < 3; i++) {
            h.scheduler.advance(PING_INTERVAL);
            h.post(sid, "3");
        }
        h.scheduler.advance(UPGRADE_TIMEOUT - 3 * PING_INTERVAL - 1);
        assertThat(ws.connection().closed()).isFalse();
        h.scheduler.advance(1);
        assertThat(ws.connection().closed()).isTrue();
        assertThat(h.listener().closes).isEmpty();
        // a new upgrade attempt may start afterwards
        EngineHarness.Ws again = h.websocket(sid);
        assertThat(again.connection().closed()).isFalse();
        again.text("2probe");
        again.text("5");
        assertThat(h.handler.sockets.get(0).transportName()).isEqualTo("websocket");
    }

    @Test
    void secondProbeWhileUpgradingIsClosed() {
        String sid = h.handshake();
        EngineHarness.Ws ws = h.websocket(sid);
        EngineHarness.Ws other = h.websocket(sid);
        assertThat(other.connection().closed()).isTrue();
        assertThat(ws.connection().closed()).isFalse();
    }

    @Test
    void badProbeFrameAbandonsTheUpgradeOnly() {
        String sid = h.handshake();
        EngineHarness.Ws ws = h.websocket(sid);
        ws.text("abc");
        assertThat(ws.connection().closed()).isTrue();
        assertThat(h.listener().closes).isEmpty();
        h.handler.sockets.get(0).send("still polling");
        assertThat(h.get(sid).bodyText()).isEqualTo("4still polling");
    }

    @Test
    void upgradePacketWithoutProbeAbandonsTheUpgrade() {
        String sid = h.handshake();
        EngineHarness.Ws ws = h.websocket(sid);
        ws.text("5");
        assertThat(ws.connection().closed()).isTrue();
        assertThat(h.handler.sockets.get(0).transportName()).isEqualTo("polling");
    }

    @Test
    void probeClosedByClientResumesPolling() {
        String sid = h.handshake();
        EngineHarness.Ws ws = h.websocket(sid);
        ws.text("2probe");
        ws.handler().onClose(false);
        assertThat(h.listener().closes).isEmpty();
        FakePollExchange get = h.get(sid);
        assertThat(get.answered()).isFalse();
        h.handler.sockets.get(0).send("x");
        assertThat(get.bodyText()).isEqualTo("4x");
        assertThat(h.scheduler.pendingTasks()).isEqualTo(1);  // only the heartbeat
    }

    @Test
    void closingDuringUpgradeClosesTheProbeAndLeavesNoTimers() {
        String sid = h.handshake();
        EngineHarness.Ws ws = h.websocket(sid);
        ws.text("2probe");
        h.handler.sockets.get(0).close();
        assertThat(ws.connection().closed()).isTrue();
        // the client goes on polling and learns of the close on its next GET
        assertThat(h.get(sid).bodyText()).isEqualTo("1");
        assertThat(h.scheduler.pendingTasks()).isZero();
        assertThat(h.server.sessionCount()).isZero();
    }
}
