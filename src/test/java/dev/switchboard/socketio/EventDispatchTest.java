package dev.switchboard.socketio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.switchboard.socketio.parser.SioPacket;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class EventDispatchTest {

    private SioHarness h;
    private FakeEngineSocket engine;
    private Socket socket;

    @BeforeEach
    void setUp() {
        h = new SioHarness();
        engine = h.open();
        socket = h.connect(engine, "/");
        socket.on("message", (args, ack) -> socket.emit("message-back", args.toArray()));
        socket.on("message-with-ack", (args, ack) -> {
            if (ack != null) {
                ack.send(args.toArray());
            }
        });
        engine.clearFrames();
    }

    @Test
    void echoKeepsJsonExactly() {
        engine.receive("2[\"message\",1,\"2\",{\"3\":[true]}]");
        assertThat(engine.texts()).containsExactly("2[\"message-back\",1,\"2\",{\"3\":[true]}]");
    }

    @Test
    void ackCarriesTheSameIdAndIsSentOnce() {
        List<Ack> acks = new ArrayList<>();
        socket.on("twice", (args, ack) -> {
            ack.send("a");
            ack.send("b");
            acks.add(ack);
        });
        engine.receive("2456[\"message-with-ack\",1,\"2\",{\"3\":[false]}]");
        engine.receive("27[\"twice\"]");
        assertThat(engine.texts()).containsExactly("3456[1,\"2\",{\"3\":[false]}]", "37[\"a\"]");
    }

    @Test
    void ackIsNullWithoutAnId() {
        List<Object> acks = new ArrayList<>();
        socket.on("x", (args, ack) -> acks.add(String.valueOf(ack)));
        engine.receive("2[\"x\"]");
        engine.receive("2[\"message-with-ack\",1]");
        assertThat(acks).containsExactly("null");
        assertThat(engine.frames()).isEmpty();
    }

    @Test
    void reservedNamesAreNotDispatched() {
        List<String> seen = new ArrayList<>();
        for (String name : List.of("connect", "connect_error", "disconnect", "disconnecting", "newListener",
                "removeListener")) {
            socket.on(name, (args, ack) -> seen.add(name));
            socket.onPacket(SioPacket.event("/", JsonNodeFactory.instance.arrayNode().add(name), SioPacket.NO_ACK));
        }
        socket.onAny((event, args) -> seen.add("any " + event));
        socket.onPacket(SioPacket.event("/", JsonNodeFactory.instance.arrayNode().add("disconnect"), 1));
        assertThat(seen).isEmpty();
        assertThat(engine.frames()).isEmpty();
        assertThat(socket.connected()).isTrue();
        assertThatThrownBy(() -> socket.emit("disconnect")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void reservedNameOnTheWireIsRejectedByTheParser() {
        engine.receive("2[\"disconnect\"]");
        assertThat(engine.closeReason()).isEqualTo(dev.switchboard.engineio.CloseReason.PARSE_ERROR);
    }

    @Test
    void onAnyThenMiddlewaresThenHandlers() {
        List<String> order = new ArrayList<>();
        socket.onAny((event, args) -> order.add("any " + event + " " + args));
        socket.use((packet, next) -> {
            order.add("mw " + packet);
            next.accept(null);
        });
        socket.on("ev", (args, ack) -> order.add("handler " + args));
        engine.receive("2[\"ev\",1]");
        assertThat(order).containsExactly("any ev [1]", "mw [\"ev\", 1]", "handler [1]");
    }

    @Test
    void middlewareErrorDropsTheEventAndReachesErrorListeners() {
        List<String> seen = new ArrayList<>();
        socket.use((packet, next) -> next.accept(new IllegalArgumentException("blocked")));
        socket.onError(e -> seen.add("error " + e.getMessage()));
        socket.on("ev", (args, ack) -> seen.add("handler"));
        engine.receive("2[\"ev\"]");
        assertThat(seen).containsExactly("error blocked");
    }

    @Test
    void throwingHandlerDoesNotEscapeAndOthersStillRun() {
        List<String> seen = new ArrayList<>();
        socket.on("ev", (args, ack) -> {
            throw new IllegalStateException("bug");
        });
        socket.on("ev", (args, ack) -> seen.add("second"));
        engine.receive("2[\"ev\"]");
        assertThat(seen).containsExactly("second");
        assertThat(engine.isOpen()).isTrue();
    }

    @Test
    void outgoingListenersSeeEmits() {
        List<String> seen = new ArrayList<>();
        socket.onAnyOutgoing((event, args) -> seen.add(event + " " + args));
        socket.emit("hello", "w", 2, true, java.util.Map.of("k", "v"));
        assertThat(seen).containsExactly("hello [\"w\", 2, true, {\"k\":\"v\"}]");
        assertThat(engine.texts()).containsExactly("2[\"hello\",\"w\",2,true,{\"k\":\"v\"}]");
    }

    @Test
    void emitAfterDisconnectReturnsFalse() {
        engine.receive("1");
        assertThat(socket.emit("late")).isFalse();
        assertThat(engine.frames()).isEmpty();
    }
}
