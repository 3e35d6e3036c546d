package dev.switchboard.socketio;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ConnectTest {

    private SioHarness h;

    @BeforeEach
    void setUp() {
        h = new SioHarness();
        h.server.sockets().onConnection(s -> s.emit("auth", s.handshake().auth()));
        h.server.of("/custom").onConnection(s -> s.emit("auth", s.handshake().auth()));
    }

    @Test
    void mainNamespaceRepliesWithExactlySidThenAuth() {
        FakeEngineSocket engine = h.open();
        engine.receive("0");
        List<String> texts = engine.texts();
        assertThat(texts).hasSize(2);
        assertThat(texts.get(0)).matches("0\\{\"sid\":\"[A-Za-z0-9_-]{20}\"}");
        assertThat(texts.get(1)).isEqualTo("2[\"auth\",{}]");
    }

    @Test
    void authPayloadIsEchoed() {
        FakeEngineSocket engine = h.open();
        engine.receive("0{\"token\":\"123\"}");
        assertThat(engine.texts().get(1)).isEqualTo("2[\"auth\",{\"token\":\"123\"}]");
    }

    @Test
    void customNamespaceWithoutMainAndWithoutComma() {
        FakeEngineSocket engine = h.open();
        engine.receive("0/custom");
        assertThat(engine.texts().get(0)).matches("0/custom,\\{\"sid\":\"[A-Za-z0-9_-]{20}\"}");
        assertThat(engine.texts().get(1)).isEqualTo("2/custom,[\"auth\",{}]");

        FakeEngineSocket other = h.open();
        other.receive("0/custom,{\"token\":\"abc\"}");
        assertThat(other.texts().get(1)).isEqualTo("2/custom,[\"auth\",{\"token\":\"abc\"}]");
    }

    @Test
    void socketIsInItsOwnRoomAndKnowsItsHandshake() {
        List<Socket> seen = new ArrayList<>();
        h.server.sockets().onConnection(seen::add);
        FakeEngineSocket engine = h.open();
        engine.receive("0{\"a\":1}");
        Socket socket = seen.get(0);
        assertThat(socket.rooms()).containsExactly(socket.id());
        assertThat(socket.connected()).isTrue();
        assertThat(socket.recovered()).isFalse();
        assertThat(socket.handshake().auth().toString()).isEqualTo("{\"a\":1}");
        assertThat(socket.handshake().address()).isEqualTo("127.0.0.1");
        assertThat(socket.handshake().query()).containsEntry("EIO", "4");
        assertThat(socket.handshake().xdomain()).isTrue();
        assertThat(h.server.sockets().sockets()).containsKey(socket.id());
        assertThat(engine.texts().get(0)).isEqualTo("0{\"sid\":\"" + socket.id() + "\"}");
    }

    @Test
    void socketIdsAreUnique() {
        Socket a = h.connect("/");
        Socket b = h.connect("/");
        assertThat(a.id()).isNotEqualTo(b.id()).hasSize(20);
    }

    @Test
    void oneConnectionMayJoinSeveralNamespaces() {
        FakeEngineSocket engine = h.open();
        Socket main = h.connect(engine, "/");
        Socket custom = h.connect(engine, "/custom");
        assertThat(main.id()).isNotEqualTo(custom.id());
        assertThat(main.namespace().name()).isEqualTo("/");
        assertThat(custom.namespace().name()).isEqualTo("/custom");
    }

    @Test
    void secondConnectToSameNamespaceClosesTheConnection() {
        FakeEngineSocket engine = h.open();
        engine.receive("0");
        engine.receive("0");
        assertThat(engine.isOpen()).isFalse();
    }
}
