package dev.switchboard.socketio;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.engineio.CloseReason;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class RecoveryTest {

    private SioHarness h;
    private final List<String> middlewareCalls = new ArrayList<>();
    private final List<Socket> connected = new ArrayList<>();

    @BeforeEach
    void setUp() {
        h = new SioHarness(SocketIoOptions.defaults().withRecovery(RecoveryOptions.defaults()));
        h.server.sockets().use((s, next) -> {
            middlewareCalls.add(s.id());
            next.accept(null);
        }).onConnection(connected::add);
    }

    @Test
    void connectReplyCarriesPidAndEventsCarryOffsets() {
        FakeEngineSocket engine = h.open();
        engine.receive("0");
        JsonNode reply = SioHarness.json(engine.texts().get(0).substring(1));
        assertThat(reply.get("sid").asText()).hasSize(20);
        assertThat(reply.get("pid").asText()).hasSize(20);

        connected.get(0).emit("direct", 1);
        h.server.sockets().emit("all", 2);
        JsonNode direct = SioHarness.json(engine.texts().get(1).substring(1));
        JsonNode all = SioHarness.json(engine.texts().get(2).substring(1));
        assertThat(direct.size()).isEqualTo(3);
        assertThat(direct.get(2).isTextual()).isTrue();
        assertThat(all.get(2).asText()).isNotEqualTo(direct.get(2).asText());
    }

    @Test
    void reconnectionRestoresIdRoomsDataAndReplaysMissedPackets() {
        FakeEngineSocket first = h.open();
        first.receive("0");
        Socket original = connected.get(0);
        original.join("red");
        original.data().put("user", "ann");
        JsonNode reply = SioHarness.json(first.texts().get(0).substring(1));
        String pid = reply.get("pid").asText();

        h.server.sockets().emit("seen", 1);
        String offset = SioHarness.json(first.lastText().substring(1)).get(2).asText();
        first.drop(CloseReason.TRANSPORT_CLOSE);
        assertThat(h.server.sockets().sockets()).isEmpty();

        h.server.sockets().to("red").emit("missed-red", 2);
        h.server.sockets().to("blue").emit("missed-blue", 3);
        h.server.sockets().volatile_().emit("volatile", 4);
        h.scheduler.advance(1000);

        FakeEngineSocket second = h.open();
        second.receive("0{\"pid\":\"" + pid + "\",\"offset\":\"" + offset + "\"}");
        Socket restored = connected.get(1);
        assertThat(restored.id()).isEqualTo(original.id());
        assertThat(restored.recovered()).isTrue();
        assertThat(restored.rooms()).contains("red", original.id());
        assertThat(restored.data()).containsEntry("user", "ann");
        assertThat(middlewareCalls).hasSize(1);

        List<String> texts = second.texts();
        assertThat(texts).hasSize(2);
        assertThat(texts.get(0)).isEqualTo("0{\"sid\":\"" + original.id() + "\",\"pid\":\"" + pid + "\"}");
        assertThat(texts.get(1)).startsWith("2[\"missed-red\",2,\"");
    }

    @Test
    void expiredOrUnknownSessionsStartAfresh() {
        FakeEngineSocket first = h.open();
        first.receive("0");
        String pid = SioHarness.json(first.texts().get(0).substring(1)).get("pid").asText();
        h.server.sockets().emit("seen");
        String offset = SioHarness.json(first.lastText().substring(1)).get(1).asText();
        first.drop(CloseReason.PING_TIMEOUT);
        h.scheduler.advance(120_001);

        FakeEngineSocket second = h.open();
        second.receive("0{\"pid\":\"" + pid + "\",\"offset\":\"" + offset + "\"}");
        assertThat(connected.get(1).recovered()).isFalse();
        assertThat(connected.get(1).id()).isNotEqualTo(connected.get(0).id());
    }

    @Test
    void clientNamespaceDisconnectIsNotRecoverable() {
        FakeEngineSocket first = h.open();
        first.receive("0");
        String pid = SioHarness.json(first.texts().get(0).substring(1)).get("pid").asText();
        h.server.sockets().emit("seen");
        String offset = SioHarness.json(first.lastText().substring(1)).get(1).asText();
        first.receive("1");

        FakeEngineSocket second = h.open();
        second.receive("0{\"pid\":\"" + pid + "\",\"offset\":\"" + offset + "\"}");
        assertThat(connected.get(1).recovered()).isFalse();
    }
}
