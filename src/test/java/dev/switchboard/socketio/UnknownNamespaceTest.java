package dev.switchboard.socketio;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class UnknownNamespaceTest {

    @Test
    void refusedWithInvalidNamespaceAndConnectionStaysOpen() {
        SioHarness h = new SioHarness();
        FakeEngineSocket engine = h.open();
        engine.receive("0/random");
        assertThat(engine.texts()).containsExactly("4/random,{\"message\":\"Invalid namespace\"}");
        assertThat(engine.isOpen()).isTrue();

        engine.receive("0");
        assertThat(engine.texts()).hasSize(2);
        assertThat(engine.texts().get(1)).startsWith("0{\"sid\":");
    }

    @Test
    void eventsForAnUnconnectedNamespaceAreIgnored() {
        SioHarness h = new SioHarness();
        h.server.of("/custom").onConnection(s -> s.on("message", (args, ack) -> s.emit("back")));
        FakeEngineSocket engine = h.open();
        engine.receive("0");
        engine.clearFrames();
        engine.receive("2/custom,[\"message\"]");
        engine.receive("3/custom,7[]");
        assertThat(engine.frames()).isEmpty();
        assertThat(engine.isOpen()).isTrue();
    }
}
