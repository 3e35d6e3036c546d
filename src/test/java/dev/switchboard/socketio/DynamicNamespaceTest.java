package dev.switchboard.socketio;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class DynamicNamespaceTest {

    @Test
    void matchingNameCreatesAChildThatInheritsMiddlewaresAndListeners() {
        SioHarness h = new SioHarness();
        List<String> calls = new ArrayList<>();
        ParentNamespace parent = h.server.of(Pattern.compile("^/room-\\d+$"));
        parent.use((socket, next) -> {
            calls.add("mw " + socket.namespace().name());
            next.accept(null);
        });
        parent.onConnection(socket -> calls.add("conn " + socket.namespace().name()));

        FakeEngineSocket engine = h.open();
        engine.receive("0/room-12,");
        assertThat(engine.texts().get(0)).startsWith("0/room-12,{\"sid\":");
        assertThat(calls).containsExactly("mw /room-12", "conn /room-12");
        assertThat(parent.children()).extracting(Namespace::name).containsExactly("/room-12");

        FakeEngineSocket second = h.open();
        second.receive("0/room-12,");
        assertThat(parent.children()).hasSize(1);
        assertThat(h.server.of("/room-12").sockets()).hasSize(2);

        engine.receive("0/room-x,");
        assertThat(engine.lastText()).isEqualTo("4/room-x,{\"message\":\"Invalid namespace\"}");
    }

    @Test
    void matcherSeesTheAuthPayload() {
        SioHarness h = new SioHarness();
        h.server.of((name, auth) -> name.startsWith("/team-") && auth.path("member").asBoolean());
        FakeEngineSocket engine = h.open();
        engine.receive("0/team-a,{\"member\":false}");
        assertThat(engine.lastText()).isEqualTo("4/team-a,{\"message\":\"Invalid namespace\"}");
        engine.receive("0/team-a,{\"member\":true}");
        assertThat(engine.lastText()).startsWith("0/team-a,{\"sid\":");
    }

    @Test
    void parentEmitReachesEveryChild() {
        SioHarness h = new SioHarness();
        ParentNamespace parent = h.server.of(Pattern.compile("^/d-"));
        FakeEngineSocket a = h.open();
        a.receive("0/d-1,");
        FakeEngineSocket b = h.open();
        b.receive("0/d-2,");
        parent.emit("hi", 1);
        assertThat(a.lastText()).isEqualTo("2/d-1,[\"hi\",1]");
        assertThat(b.lastText()).isEqualTo("2/d-2,[\"hi\",1]");
    }
}
