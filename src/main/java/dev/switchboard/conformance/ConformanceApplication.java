package dev.switchboard.conformance;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.switchboard.container.SwitchboardStartup;
import dev.switchboard.engineio.CloseReason;
import dev.switchboard.engineio.EngineSocket;
import dev.switchboard.engineio.EngineSocketListener;
import dev.switchboard.socketio.Socket;
import dev.switchboard.socketio.SocketIoServer;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * The small application the official Engine.IO v4 and Socket.IO v5 test suites expect (see
 * shared/conformance/README.md, "Server contract"). Switched on by the {@code conformance} profile, and by
 * {@code interop}, the profile of the protocol container tests.
 */
@ApplicationScoped
public class ConformanceApplication {
    public static final String PROFILE = "conformance";

    void onStart(@Observes SwitchboardStartup startup) {
        if (!PROFILE.equals(startup.profile()) && !"interop".equals(startup.profile())) {
            return;
        }
        SocketIoServer io = startup.socketIo();
        io.of("/").onConnection(socket -> {
            sendAuth(socket);
            socket.on("message", (args, ack) -> socket.emit("message-back", args.toArray()));
            socket.on("message-with-ack", (args, ack) -> {
                if (ack != null) {
                    ack.send(args.toArray());
                }
            });
        });
        io.of("/custom").onConnection(ConformanceApplication::sendAuth);
        startup.mountEngine("/engine.io/", ConformanceApplication::echo);
    }

    /** Reports the CONNECT payload back, or {} when there was none. */
    private static void sendAuth(Socket socket) {
        JsonNode auth = socket.handshake().auth();
        socket.emit("auth", auth == null || auth.isNull() ? JsonNodeFactory.instance.objectNode() : auth);
    }

    /** The bare Engine.IO endpoint: every message goes back unchanged, text as text and binary as binary. */
    private static void echo(EngineSocket socket) {
        socket.setListener(new EngineSocketListener() {
            @Override public void onText(String text) { socket.send(text); }

            @Override public void onBinary(byte[] data) { socket.send(data); }

            @Override public void onClose(CloseReason reason) { }
        });
    }
}
