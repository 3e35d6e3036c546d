package dev.switchboard.testapp;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.container.SwitchboardStartup;
import dev.switchboard.socketio.Ack;
import dev.switchboard.socketio.Namespace;
import dev.switchboard.socketio.SocketIoServer;
import dev.switchboard.socketio.broadcast.RemoteSocket;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * The namespace {@code /cluster} that the multi-node test (arquillian-tests, ClusterIT) drives, active in the
 * {@code interop} profile. Every request is acknowledged once the node has done its part:
 * <pre>
 * join(room)                        joins
 * to-room(room, except, payload)    "room-message"(payload) to room minus the except room ("" for none)
 * fetch(room)                       acks {ok, ids} of every socket in the room on every node
 * disconnect(room)                  disconnects the room's sockets on every node
 * poll(room, ms)                    emitWithAck("poll") to the room on every node, acks {ok, responses|error}
 * sse(payload)                      serverSideEmit("sse", payload); other nodes emit "sse-received"(payload) locally
 * </pre>
 */
@ApplicationScoped
public class ClusterTestApplication {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    void onStart(@Observes SwitchboardStartup startup) {
        if (!InteropApplication.PROFILE.equals(startup.profile())) {
            return;
        }
        SocketIoServer io = startup.socketIo();
        Namespace nsp = io.of("/cluster");
        nsp.onServerSideEmit(args -> nsp.local().emit("sse-received", args.size() > 1 ? args.get(1) : null));
        nsp.onConnection(socket -> {
            socket.on("join", (args, ack) -> {
                socket.join(args.get(0).asText());
                reply(ack, NODES.textNode("joined"));
            });
            socket.on("to-room", (args, ack) -> {
                String except = args.get(1).asText();
                var op = nsp.to(args.get(0).asText());
                if (!except.isEmpty()) {
                    op = op.except(except);
                }
                op.emit("room-message", args.get(2));
                reply(ack, NODES.textNode("sent"));
            });
            socket.on("fetch", (args, ack) -> nsp.in(args.get(0).asText()).fetchSockets().whenComplete((list, e) -> {
                ObjectNode out = NODES.objectNode().put("ok", e == null);
                if (e == null) {
                    ArrayNode ids = out.putArray("ids");
                    list.stream().map(RemoteSocket::id).sorted().forEach(ids::add);
                } else {
                    out.put("error", e.toString());
                }
                reply(ack, out);
            }));
            socket.on("disconnect-room", (args, ack) -> {
                nsp.in(args.get(0).asText()).disconnectSockets(true);
                reply(ack, NODES.textNode("done"));
            });
            socket.on("poll", (args, ack) -> nsp.to(args.get(0).asText()).timeout(args.get(1).asLong())
                    .emitWithAck("poll").whenComplete((responses, e) -> {
                        ObjectNode out = NODES.objectNode().put("ok", e == null);
                        if (e == null) {
                            out.putArray("responses").addAll(responses);
                        } else {
                            out.put("error", String.valueOf(e.getCause() == null ? e : e.getCause()));
                        }
                        reply(ack, out);
                    }));
            socket.on("sse", (args, ack) -> {
                nsp.serverSideEmit("sse", args.get(0));
                reply(ack, NODES.textNode("sent"));
            });
        });
    }

    private static void reply(Ack ack, JsonNode value) {
        if (ack != null) {
            ack.send(value);
        }
    }
}
