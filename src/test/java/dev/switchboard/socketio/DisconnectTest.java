package dev.switchboard.socketio;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.engineio.CloseReason;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class DisconnectTest {

    @Test
    void clientDisconnectLeavesSilentlyAndOtherNamespacesStayUsable() {
        SioHarness h = new SioHarness();
        FakeEngineSocket engine = h.open();
        Socket main = h.connect(engine, "/");
        Socket custom = h.connect(engine, "/custom");
        main.on("message", (args, ack) -> main.emit("message-back", args.toArray()));
        List<String> reasons = new ArrayList<>();
        custom.onDisconnecting(r -> reasons.add("disconnecting " + r.text()));
        custom.onDisconnect(r -> reasons.add("disconnect " + r.text()));
        engine.clearFrames();

        engine.receive("1/custom,");
        assertThat(engine.frames()).isEmpty();
        assertThat(reasons).containsExactly("disconnecting client namespace disconnect",
                "disconnect client namespace disconnect");
        assertThat(custom.connected()).isFalse();
        assertThat(custom.rooms()).isEmpty();
        assertThat(h.server.of("/custom").sockets()).isEmpty();

        engine.receive("2[\"message\",1]");
        assertThat(engine.texts()).containsExactly("2[\"message-back\",1]");
        assertThat(engine.isOpen()).isTrue();

        engine.receive("1");
        assertThat(main.connected()).isFalse();
        assertThat(engine.isOpen()).isTrue();
        engine.receive("0/custom");
        assertThat(engine.lastText()).startsWith("0/custom,{\"sid\":");
    }

    @Test
    void serverDisconnectSendsDisconnectPacket() {
        SioHarness h = new SioHarness();
        FakeEngineSocket engine = h.open();
        Socket custom = h.connect(engine, "/custom");
        List<DisconnectReason> reasons = new ArrayList<>();
        custom.onDisconnect(reasons::add);
        engine.clearFrames();
        custom.disconnect(false);
        assertThat(engine.texts()).containsExactly("1/custom,");
        assertThat(reasons).containsExactly(DisconnectReason.SERVER_NAMESPACE_DISCONNECT);
        assertThat(engine.isOpen()).isTrue();
        custom.disconnect(false);
        assertThat(engine.texts()).hasSize(1);
    }

    @Test
    void disconnectWithCloseEndsEveryNamespaceAndTheConnection() {
        SioHarness h = new SioHarness();
        FakeEngineSocket engine = h.open();
        Socket main = h.connect(engine, "/");
        Socket custom = h.connect(engine, "/custom");
        List<String> reasons = new ArrayList<>();
        main.onDisconnect(r -> reasons.add("main " + r.text()));
        custom.onDisconnect(r -> reasons.add("custom " + r.text()));
        engine.clearFrames();
        main.disconnect(true);
        assertThat(engine.texts()).containsExactlyInAnyOrder("1", "1/custom,");
        assertThat(reasons).containsExactlyInAnyOrder("main server namespace disconnect",
                "custom server namespace disconnect");
        assertThat(engine.isOpen()).isFalse();
    }

    @Test
    void engineCloseDisconnectsEverySocketWithTheMappedReason() {
        SioHarness h = new SioHarness();
        FakeEngineSocket engine = h.open();
        Socket main = h.connect(engine, "/");
        Socket custom = h.connect(engine, "/custom");
        main.join("room");
        List<String> reasons = new ArrayList<>();
        main.onDisconnect(r -> reasons.add(r.text()));
        custom.onDisconnect(r -> reasons.add(r.text()));
        engine.drop(CloseReason.PING_TIMEOUT);
        assertThat(reasons).containsExactly("ping timeout", "ping timeout");
        assertThat(h.server.sockets().adapter().socketRooms(main.id())).isEmpty();
        assertThat(h.server.sockets().adapter().sockets(java.util.Set.of("room"))).isEmpty();
        assertThat(h.scheduler.pendingTasks()).isZero();
        assertThat(h.server.clientCount()).isZero();
    }

    @Test
    void everyEngineReasonMapsToTheReferenceString() {
        assertThat(DisconnectReason.of(CloseReason.TRANSPORT_CLOSE).text()).isEqualTo("transport close");
        assertThat(DisconnectReason.of(CloseReason.TRANSPORT_ERROR).text()).isEqualTo("transport error");
        assertThat(DisconnectReason.of(CloseReason.PARSE_ERROR).text()).isEqualTo("parse error");
        assertThat(DisconnectReason.of(CloseReason.FORCED_CLOSE).text()).isEqualTo("forced close");
        assertThat(DisconnectReason.of(CloseReason.SERVER_SHUTDOWN).text()).isEqualTo("server shutting down");
    }
}
