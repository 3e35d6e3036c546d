package dev.switchboard.socketio;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

class ConnectionMiddlewareTest {

    @Test
    void middlewaresRunInOrderThenTheSocketConnects() {
        SioHarness h = new SioHarness();
        List<String> calls = new ArrayList<>();
        h.server.sockets().use((s, next) -> {
            calls.add("one");
            s.data().put("user", "ann");
            next.accept(null);
        }).use((s, next) -> {
            calls.add("two");
            next.accept(null);
        }).onConnection(s -> calls.add("connected " + s.data().get("user")));
        FakeEngineSocket engine = h.open();
        engine.receive("0");
        assertThat(calls).containsExactly("one", "two", "connected ann");
    }

    @Test
    void refusalSendsConnectErrorWithMessageAndData() {
        SioHarness h = new SioHarness();
        List<String> calls = new ArrayList<>();
        h.server.of("/custom")
                .use((s, next) -> next.accept(new MiddlewareError("not authorized", SioHarness.json("{\"code\":42}"))))
                .use((s, next) -> calls.add("second"))
                .onConnection(s -> calls.add("connected"));
        FakeEngineSocket engine = h.open();
        engine.receive("0/custom,");
        assertThat(engine.texts()).containsExactly(
                "4/custom,{\"message\":\"not authorized\",\"data\":{\"code\":42}}");
        assertThat(calls).isEmpty();
        assertThat(engine.isOpen()).isTrue();
        assertThat(h.server.of("/custom").sockets()).isEmpty();
        assertThat(h.server.of("/custom").adapter().sockets(java.util.Set.of())).isEmpty();
    }

    @Test
    void refusalWithoutDataHasOnlyMessage() {
        SioHarness h = new SioHarness();
        h.server.sockets().use((s, next) -> next.accept(new MiddlewareError("nope")));
        FakeEngineSocket engine = h.open();
        engine.receive("0");
        assertThat(engine.texts()).containsExactly("4{\"message\":\"nope\"}");
    }

    @Test
    void asynchronousNextConnectsLaterAndAThrowingMiddlewareRefuses() {
        SioHarness h = new SioHarness();
        AtomicReference<Consumer<MiddlewareError>> pending = new AtomicReference<>();
        h.server.sockets().use((s, next) -> pending.set(next));
        FakeEngineSocket engine = h.open();
        engine.receive("0");
        assertThat(engine.texts()).isEmpty();
        pending.get().accept(null);
        pending.get().accept(new MiddlewareError("ignored second call"));
        assertThat(engine.texts()).hasSize(1);
        assertThat(engine.texts().get(0)).startsWith("0{\"sid\":");

        h.server.of("/boom").use((s, next) -> {
            throw new IllegalStateException("bug");
        });
        engine.receive("0/boom,");
        assertThat(engine.lastText()).isEqualTo("4/boom,{\"message\":\"Internal server error\"}");
    }

    @Test
    void middlewareFinishingAfterCloseDropsTheSocket() {
        SioHarness h = new SioHarness();
        AtomicReference<Consumer<MiddlewareError>> pending = new AtomicReference<>();
        List<Socket> connected = new ArrayList<>();
        h.server.sockets().use((s, next) -> pending.set(next)).onConnection(connected::add);
        FakeEngineSocket engine = h.open();
        engine.receive("0");
        engine.drop(dev.switchboard.engineio.CloseReason.TRANSPORT_CLOSE);
        pending.get().accept(null);
        assertThat(connected).isEmpty();
        assertThat(h.server.sockets().sockets()).isEmpty();
    }
}
