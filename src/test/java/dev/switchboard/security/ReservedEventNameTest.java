package dev.switchboard.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import dev.switchboard.socketio.broadcast.EventArgs;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * CVE-2024-38355 (socket.io &lt; 4.6.2 / 2.5.1): a client emitting "error" reached the socket's "error" event, which
 * in Node.js throws when nobody listens, and killed the process; the other reserved names ("connect",
 * "disconnect", ...) could fake lifecycle events. Here:
 * <ul>
 *   <li>the lifecycle names (connect, connect_error, disconnect, disconnecting, newListener, removeListener) are
 *       refused by the decoder, as by the reference parser: parse error, connection closed, no application code run;
 *   <li>"error" is an ordinary event name on the wire: the server's error channel ({@code Socket.onError}) is a
 *       separate, typed API that no packet can reach, handler exceptions are caught, and with no handler the event is
 *       simply ignored; the connection stays open.
 * </ul>
 */
@DisplayName("CVE-2024-38355: reserved event names from a client never reach the application nor crash the server")
class ReservedEventNameTest {

    @ParameterizedTest(name = "CVE-2024-38355: a client emitting \"{0}\" is disconnected, no handler runs")
    @ValueSource(strings = {"connect", "connect_error", "disconnect", "disconnecting", "newListener", "removeListener"})
    void lifecycleNamesCloseTheConnection(String name) {
        assertThat(EventArgs.isReserved(name)).isTrue();
        SioVictim v = new SioVictim(name);
        assertThatCode(() -> v.engine.receive("2[\"" + name + "\",\"forged\"]")).doesNotThrowAnyException();
        v.assertClosedForParseError();
        v.assertServerStillServes();
    }

    @ParameterizedTest(name = "CVE-2024-38355: a binary event named \"{0}\" is refused too")
    @ValueSource(strings = {"disconnect", "connect"})
    void lifecycleNamesInBinaryEventsCloseTheConnection(String name) {
        SioVictim v = new SioVictim(name);
        v.engine.receive("51-[\"" + name + "\",{\"_placeholder\":true,\"num\":0}]");
        v.assertClosedForParseError();
    }

    @Test
    @DisplayName("CVE-2024-38355: a client emitting \"error\" never reaches onError and never crashes the server")
    void errorEventNeverReachesTheErrorChannel() {
        SioVictim v = new SioVictim(); // no "error" handler, like the crashing reference setup
        assertThatCode(() -> {
            v.engine.receive("2[\"error\",\"boom\"]");
            v.engine.receive("2[\"error\"]");
            v.engine.receive("2[\"error\",{\"message\":\"x\"}]");
        }).doesNotThrowAnyException();

        assertThat(v.seen).as("only onAny observes it; onError (middleware errors) is not reachable from the wire")
                .containsExactly("any:error[\"boom\"]", "any:error[]", "any:error[{\"message\":\"x\"}]");
        assertThat(v.engine.isOpen()).as("ignored, not a reason to disconnect").isTrue();
        v.engine.receive("2[\"after\",1]");
        assertThat(v.seen).last().isEqualTo("any:after[1]");
    }

    @Test
    @DisplayName("CVE-2024-38355: a throwing \"error\" handler is contained; the connection and server go on")
    void throwingErrorHandlerIsContained() {
        SioVictim v = new SioVictim();
        v.socket.on("error", (args, ack) -> {
            throw new IllegalStateException("application bug");
        });
        assertThatCode(() -> v.engine.receive("2[\"error\",\"boom\"]")).doesNotThrowAnyException();
        assertThat(v.engine.isOpen()).isTrue();
        assertThat(v.seen).containsExactly("any:error[\"boom\"]");
        v.assertServerStillServes();
    }
}
