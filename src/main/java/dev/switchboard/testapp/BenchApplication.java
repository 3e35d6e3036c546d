package dev.switchboard.testapp;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.container.SwitchboardStartup;
import dev.switchboard.socketio.Ack;
import dev.switchboard.socketio.Socket;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The chat benchmark protocol (shared/bench/PROTOCOL.md), switched on by the {@code bench} profile: every socket
 * joins "chat"; chat_message is broadcast to the room except the sender and acked with its id; echo is acked with
 * its argument; join adds a room.
 */
@ApplicationScoped
public class BenchApplication {
    public static final String PROFILE = "bench";
    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;
    private final AtomicLong ids = new AtomicLong();

    void onStart(@Observes SwitchboardStartup startup) {
        if (!PROFILE.equals(startup.profile())) {
            return;
        }
        startup.socketIo().sockets().onConnection(socket -> {
            socket.join("chat");
            socket.on("chat_message", (args, ack) -> chatMessage(socket, args, ack));
            socket.on("echo", (args, ack) -> {
                if (ack != null && !args.isEmpty() && !args.get(0).isNull()) {
                    ack.send(args.get(0));
                }
            });
            socket.on("join", (args, ack) -> join(socket, args, ack));
        });
    }

    private void chatMessage(Socket socket, List<JsonNode> args, Ack ack) {
        JsonNode msg = args.isEmpty() ? null : args.get(0);
        if (msg == null || !msg.isObject() || !msg.path("text").isTextual()) {
            badRequest(ack);
            return;
        }
        long id = ids.incrementAndGet();
        ObjectNode out = JSON.objectNode();
        out.put("id", id);
        out.put("user_id", socket.id());
        out.set("text", msg.get("text"));
        out.set("ts", msg.has("ts") ? msg.get("ts") : JSON.nullNode());
        socket.to("chat").emit("new_message", out);
        if (ack != null) {
            ack.send(JSON.objectNode().put("id", id));
        }
    }

    private static void join(Socket socket, List<JsonNode> args, Ack ack) {
        JsonNode room = args.isEmpty() ? null : args.get(0).path("room");
        if (room == null || !room.isTextual() || room.asText().isEmpty()) {
            badRequest(ack);
            return;
        }
        socket.join(room.asText());
        if (ack != null) {
            ack.send(JSON.objectNode().put("room", room.asText()));
        }
    }

    private static void badRequest(Ack ack) {
        if (ack != null) {
            ack.send(JSON.objectNode().put("error", "bad_request"));
        }
    }
}
