package dev.switchboard.socketio;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.socketio.broadcast.RemoteSocket;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ServerUtilitiesTest {

    private SioHarness h;
    private FakeEngineSocket ea;
    private FakeEngineSocket eb;
    private Socket a;
    private Socket b;

    @BeforeEach
    void setUp() {
        h = new SioHarness();
        ea = h.open();
        eb = h.open();
        a = h.connect(ea, "/");
        b = h.connect(eb, "/");
        a.join("red");
        a.data().put("name", "ann");
    }

    @Test
    void fetchSocketsReportsDetailsAndCanActOnThem() throws Exception {
        List<RemoteSocket> red = h.server.sockets().in("red").fetchSockets().get();
        assertThat(red).extracting(RemoteSocket::id).containsExactly(a.id());
        RemoteSocket remote = red.get(0);
        assertThat(remote.rooms()).containsExactlyInAnyOrder(a.id(), "red");
        assertThat(remote.data()).containsEntry("name", "ann");
        assertThat(remote.handshake().get("address").asText()).isEqualTo("127.0.0.1");

        ea.clearFrames();
        remote.emit("direct", 1);
        assertThat(ea.texts()).containsExactly("2[\"direct\",1]");
        remote.join("green");
        assertThat(a.rooms()).contains("green");
        remote.leave("green");
        assertThat(a.rooms()).doesNotContain("green");
        assertThat(h.server.sockets().fetchSockets().get()).hasSize(2);
    }

    @Test
    void socketsJoinAndLeave() {
        h.server.sockets().socketsJoin("all");
        assertThat(a.rooms()).contains("all");
        assertThat(b.rooms()).contains("all");
        h.server.sockets().in("red").socketsLeave("all");
        assertThat(a.rooms()).doesNotContain("all");
        assertThat(b.rooms()).contains("all");
        assertThat(h.server.sockets().in("all").allSockets()).containsExactly(b.id());
    }

    @Test
    void disconnectSockets() {
        h.server.sockets().in("red").disconnectSockets(false);
        assertThat(a.connected()).isFalse();
        assertThat(ea.lastText()).isEqualTo("1");
        assertThat(ea.isOpen()).isTrue();
        assertThat(b.connected()).isTrue();

        h.server.sockets().disconnectSockets(true);
        assertThat(b.connected()).isFalse();
        assertThat(eb.isOpen()).isFalse();
        assertThat(h.server.sockets().sockets()).isEmpty();
    }

    @Test
    void serverSideEmitIsANoOpOnOneNode() {
        h.server.sockets().serverSideEmit("ping", 1);
        assertThat(ea.isOpen()).isTrue();
    }
}
