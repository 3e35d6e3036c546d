package dev.switchboard.engineio;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class EngineWebSocketTest {
    private final EngineHarness h = new EngineHarness();

    private void assertCleanedUp() {
        assertThat(h.scheduler.pendingTasks()).isZero();
        assertThat(h.server.sessionCount()).isZero();
    }

    @Test
    void echoTextAndBinary() {
        h.handler.echo = true;
        EngineHarness.Ws ws = h.websocket(null);
        ws.text("4hello");
        ws.binary(new byte[]{1, 2, 3, 4});
        ws.text("4");
        assertThat(ws.connection().frames).hasSize(4);
        assertThat(ws.connection().frames.get(1)).isEqualTo("4hello");
        assertThat((byte[]) ws.connection().frames.get(2)).containsExactly(1, 2, 3, 4);
        assertThat(ws.connection().frames.get(3)).isEqualTo("4");
        assertThat(h.listener().events).containsExactly("text:hello", "binary:AQIDBA==", "text:");
    }

    @Test
    void invalidTextFrameClosesSessionAndConnection() {
        EngineHarness.Ws ws = h.websocket(null);
        ws.text("abc");
        assertThat(h.listener().closes).containsExactly(CloseReason.PARSE_ERROR);
        assertThat(ws.connection().closed()).isTrue();
        assertCleanedUp();
        ws.text("4late");
        ws.handler().onClose(false);
        assertThat(h.listener().events).containsExactly("close:PARSE_ERROR");
    }

    @Test
    void clientCloseClosesTheConnection() {
        EngineHarness.Ws ws = h.websocket(null);
        ws.text("1");
        assertThat(h.listener().closes).containsExactly(CloseReason.TRANSPORT_CLOSE);
        assertThat(ws.connection().closed()).isTrue();
        assertCleanedUp();
    }

    @Test
    void connectionCloseIsTransportClose() {
        EngineHarness.Ws ws = h.websocket(null);
        ws.handler().onClose(false);
        assertThat(h.listener().closes).containsExactly(CloseReason.TRANSPORT_CLOSE);
        assertCleanedUp();
        ws.handler().onClose(false);
        assertThat(h.listener().closes).hasSize(1);
    }

    @Test
    void connectionFailureIsTransportError() {
        EngineHarness.Ws ws = h.websocket(null);
        ws.handler().onClose(true);
        assertThat(h.listener().closes).containsExactly(CloseReason.TRANSPORT_ERROR);
        assertCleanedUp();
    }

    @Test
    void serverCloseFlushesQueuedFramesThenCloses() {
        EngineHarness.Ws ws = h.websocket(null);
        EngineSocket socket = h.handler.sockets.get(0);
        socket.send("bye");
        socket.close();
        assertThat(ws.connection().frames).last().isEqualTo("4bye");
        assertThat(ws.connection().closed()).isTrue();
        assertThat(ws.connection().framesAfterClose).isZero();
        assertThat(h.listener().closes).containsExactly(CloseReason.FORCED_CLOSE);
        socket.send("dropped");
        assertThat(ws.connection().frames).last().isEqualTo("4bye");
        assertCleanedUp();
    }

    @Test
    void listenerExceptionDoesNotEscapeOrKillTheSession() {
        h.handler.echo = true;
        EngineHarness.Ws ws = h.websocket(null);
        h.listener().throwOnText = new IllegalStateException("listener bug");
        ws.text("4boom");
        assertThat(h.handler.sockets.get(0).isOpen()).isTrue();
        h.listener().throwOnText = null;
        ws.text("4fine");
        assertThat(ws.connection().frames).last().isEqualTo("4fine");
    }

    @Test
    void failingConnectionDoesNotBreakTheSession() {
        EngineHarness.Ws ws = h.websocket(null);
        EngineSocket socket = h.handler.sockets.get(0);
        FakeWebSocketConnection c = ws.connection();
        assertThat(c.frames).hasSize(1);
        // a send that throws is swallowed by the session
        EngineHarness failing = new EngineHarness();
        FakeWebSocketConnection bad = new FakeWebSocketConnection() {
            @Override public synchronized void sendText(String text, Runnable written) {
                throw new IllegalStateException("connection reset");
            }
        };
        failing.server.handleWebSocket(EngineHarness.request("GET", "EIO=4&transport=websocket", java.util.Map.of()),
                bad);
        failing.handler.sockets.get(0).send("x");
        assertThat(failing.handler.sockets.get(0).isOpen()).isTrue();
        socket.send("ok");
        assertThat(c.frames).last().isEqualTo("4ok");
    }
}
