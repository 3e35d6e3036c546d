package dev.switchboard.security;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.engineio.CloseReason;
import dev.switchboard.socketio.FakeEngineSocket;
import dev.switchboard.socketio.SioHarness;
import dev.switchboard.socketio.Socket;
import dev.switchboard.socketio.SocketIoOptions;
import dev.switchboard.socketio.parser.SioDecoderLimits;
import java.util.ArrayList;
import java.util.List;

/**
 * A server on a fake clock with one client connected to "/", whose socket records everything the application side
 * could observe: events through named handlers (for the names given) and onAny, errors and disconnects.
 */
final class SioVictim {

    final SioHarness harness;
    final FakeEngineSocket engine;
    final Socket socket;
    final List<String> seen = new ArrayList<>();

    SioVictim(SioDecoderLimits limits, String... handledEvents) {
        harness = new SioHarness(SocketIoOptions.defaults().withConnectTimeoutMillis(1000).withDecoderLimits(limits));
        engine = harness.open();
        socket = harness.connect(engine, "/");
        for (String event : handledEvents) {
            socket.on(event, (args, ack) -> seen.add("handler:" + event + args));
        }
        socket.onAny((event, args) -> seen.add("any:" + event + args));
        socket.onError(e -> seen.add("error:" + e));
        socket.onDisconnect(reason -> seen.add("disconnect:" + reason.text()));
        engine.clearFrames();
    }

    SioVictim(String... handledEvents) {
        this(SioDecoderLimits.defaults(), handledEvents);
    }

    /** The connection was closed for a parse error, the application saw nothing but the disconnect. */
    void assertClosedForParseError() {
        assertThat(engine.isOpen()).as("connection closed at once").isFalse();
        assertThat(engine.closeReason()).isEqualTo(CloseReason.PARSE_ERROR);
        assertThat(seen).containsExactly("disconnect:parse error");
        assertThat(harness.scheduler.pendingTasks()).as("nothing left waiting").isZero();
    }

    /** A well-formed event on a fresh connection still reaches the application: the server is alive. */
    void assertServerStillServes() {
        SioVictim other = new SioVictim(SioDecoderLimits.defaults(), "ping");
        other.engine.receive("2[\"ping\",1]");
        assertThat(other.seen).containsExactly("any:ping[1]", "handler:ping[1]");
    }
}
