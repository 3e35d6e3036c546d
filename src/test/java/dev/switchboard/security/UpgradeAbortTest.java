package dev.switchboard.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import dev.switchboard.engineio.EngineHarness;
import dev.switchboard.engineio.EngineSocket;
import dev.switchboard.engineio.FakePollExchange;
import dev.switchboard.engineio.transport.WebSocketHandler;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * CVE-2022-41940 (engine.io &lt; 6.2.1 / 3.6.1) and CVE-2023-31125 (engine.io &lt; 6.4.2): an upgrade request that
 * was aborted or malformed (the socket closed mid-handshake, a bad transport, an unknown sid) threw an uncaught
 * exception and killed the server. Here every such upgrade is refused or abandoned by closing that WebSocket only:
 * nothing throws, and the polling session it targeted keeps working.
 */
@DisplayName("CVE-2022-41940 / CVE-2023-31125: aborted or malformed upgrades never throw and leave polling working")
class UpgradeAbortTest {

    private final EngineHarness h = new EngineHarness();

    /** The polling session still carries messages both ways, on polling. */
    private void assertPollingWorks(String sid) {
        EngineSocket socket = h.handler.sockets.get(0);
        assertThat(socket.isOpen()).isTrue();
        assertThat(socket.transportName()).isEqualTo("polling");
        assertThat(h.post(sid, "4up").status()).isEqualTo(200);
        assertThat(h.listener().events).last().isEqualTo("text:up");
        socket.send("down");
        FakePollExchange get = h.get(sid);
        assertThat(get.status()).isEqualTo(200);
        assertThat(get.bodyText()).endsWith("4down");
        assertThat(h.listener().closes).isEmpty();
    }

    @Test
    @DisplayName("CVE-2022-41940: probe WebSocket closed before any packet: polling goes on")
    void probeClosedBeforeAnyPacket() {
        String sid = h.handshake();
        EngineHarness.Ws ws = h.websocket(sid);
        assertThatCode(() -> ws.handler().onClose(false)).doesNotThrowAnyException();
        assertPollingWorks(sid);
    }

    @Test
    @DisplayName("CVE-2022-41940: probe answered, then the WebSocket fails before \"5\": polling goes on")
    void probeFailsAfterPingProbe() {
        String sid = h.handshake();
        FakePollExchange held = h.get(sid);
        EngineHarness.Ws ws = h.websocket(sid);
        ws.text("2probe");
        assertThat(ws.connection().texts()).containsExactly("3probe");
        assertThat(held.bodyText()).as("the held GET is released with a noop").isEqualTo("6");

        assertThatCode(() -> ws.handler().onClose(true)).doesNotThrowAnyException();

        assertPollingWorks(sid);
        // and the session may try again later
        EngineHarness.Ws retry = h.websocket(sid);
        assertThat(retry.handler()).isNotSameAs(WebSocketHandler.CLOSED);
        assertThat(retry.connection().closed()).isFalse();
    }

    @Test
    @DisplayName("CVE-2022-41940: a probe that never sends \"5\" is abandoned at the upgrade timeout")
    void probeThatStallsIsAbandoned() {
        String sid = h.handshake();
        EngineHarness.Ws ws = h.websocket(sid);
        ws.text("2probe");
        for (long t = 0; t < EngineHarness.UPGRADE_TIMEOUT; t += 100) {
            h.scheduler.advance(100);
            h.post(sid, "3"); // the client keeps answering pings over polling meanwhile
        }
        assertThat(ws.connection().closed()).isTrue();
        assertThatCode(() -> {
            ws.text("5");
            ws.handler().onClose(false);
        }).doesNotThrowAnyException();
        assertPollingWorks(sid);
    }

    @Test
    @DisplayName("CVE-2022-41940: garbage, binary or an early \"5\" on the probe abandon it; polling goes on")
    void malformedProbeTrafficAbandonsTheProbe() {
        String sid = h.handshake();
        for (Runnable abuse : new Runnable[] {
                () -> h.websocket(sid).text("x"),
                () -> h.websocket(sid).text(""),
                () -> h.websocket(sid).binary(new byte[] {1}),
                () -> h.websocket(sid).text("5"),
                () -> h.websocket(sid).text("4message on the probe")}) {
            assertThatCode(abuse::run).doesNotThrowAnyException();
        }
        assertPollingWorks(sid);
    }

    @Test
    @DisplayName("CVE-2023-31125: a WebSocket for an unknown sid is closed; nothing throws")
    void unknownSidIsClosed() {
        String sid = h.handshake();
        EngineHarness.Ws ws = h.websocket("does-not-exist");
        assertThat(ws.handler()).isSameAs(WebSocketHandler.CLOSED);
        assertThat(ws.connection().closed()).isTrue();
        assertThatCode(() -> {
            ws.handler().onText("2probe");
            ws.handler().onClose(true);
        }).doesNotThrowAnyException();
        assertPollingWorks(sid);
    }

    @Test
    @DisplayName("CVE-2023-31125: a WebSocket upgrade naming a bad transport or protocol is closed; nothing throws")
    void badTransportIsClosed() {
        String sid = h.handshake();
        for (String query : new String[] {"EIO=4&transport=polling&sid=" + sid, "EIO=4&transport=flash&sid=" + sid,
                "EIO=4&sid=" + sid, "EIO=3&transport=websocket&sid=" + sid, "transport=websocket&sid=" + sid}) {
            EngineHarness.Ws ws = h.websocket(query, Map.of());
            assertThat(ws.handler()).as(query).isSameAs(WebSocketHandler.CLOSED);
            assertThat(ws.connection().closed()).as(query).isTrue();
            assertThatCode(() -> ws.handler().onClose(true)).doesNotThrowAnyException();
        }
        assertPollingWorks(sid);
    }

    @Test
    @DisplayName("CVE-2022-41940: a second concurrent probe is refused without disturbing the first or polling")
    void secondProbeIsRefused() {
        String sid = h.handshake();
        EngineHarness.Ws first = h.websocket(sid);
        EngineHarness.Ws second = h.websocket(sid);
        assertThat(second.connection().closed()).isTrue();
        assertThatCode(() -> second.handler().onClose(true)).doesNotThrowAnyException();
        assertThat(first.connection().closed()).isFalse();
        first.handler().onClose(false);
        assertPollingWorks(sid);
    }
}
