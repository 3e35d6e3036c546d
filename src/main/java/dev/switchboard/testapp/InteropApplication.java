package dev.switchboard.testapp;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.container.SwitchboardStartup;
import dev.switchboard.socketio.Ack;
import dev.switchboard.socketio.MiddlewareError;
import dev.switchboard.socketio.Socket;
import dev.switchboard.socketio.SocketIoServer;
import dev.switchboard.socketio.broadcast.AckTimeoutException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.regex.Pattern;

/**
 * The application the socket.io-client interop tests (arquillian-tests/node) drive; active in the {@code interop}
 * profile only, and on its own namespaces so that the conformance handlers on "/" and "/custom" stay as they are.
 * <ul>
 *   <li>{@code /interop} and the dynamic {@code /dyn-<digits>} namespaces: the {@link #handlers event handlers}.
 *   <li>{@code /secure}: a connection middleware refusing any CONNECT whose auth.token is not "letmein".
 * </ul>
 * Every request the tests make carries an acknowledgement that the server answers after it has done its work, so
 * a test can order what it observes without sleeping.
 */
@ApplicationScoped
public class InteropApplication {
    public static final String PROFILE = "interop";
    public static final String SECRET = "letmein";

    private static final Logger LOG = Logger.getLogger(InteropApplication.class.getName());
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    void onStart(@Observes SwitchboardStartup startup) {
        if (!PROFILE.equals(startup.profile())) {
            return;
        }
        SocketIoServer io = startup.socketIo();
        io.of("/interop").onConnection(InteropApplication::handlers);
        io.of(Pattern.compile("^/dyn-\\d+$")).onConnection(InteropApplication::handlers);
        io.of("/secure")
                .use((socket, next) -> {
                    JsonNode token = socket.handshake().auth().get("token");
                    boolean allowed = token != null && SECRET.equals(token.asText());
                    next.accept(allowed ? null : new MiddlewareError("unauthorized",
                            NODES.objectNode().put("code", "UNAUTHORIZED")));
                })
                .onConnection(socket -> {
                    socket.emit("welcome", socket.handshake().auth().path("user").asText("anonymous"));
                    socket.on("whoami", (args, ack) -> reply(ack, whoami(socket)));
                });
        LOG.info("interop test application registered on /interop, /dyn-<n> and /secure");
    }

    /**
     * Requests (every one acknowledged, except "ignore"):
     * <pre>
     * echo(args...)              emits "echo" back with the same args, and acks with them
     * ack(args...)               acks with the same args
     * ignore(args...)            never answers (the client's ack times out)
     * whoami()                   acks {id, nsp, recovered, transport, rooms}
     * ask(event, ms, args...)    server emitWithAck(event, args...) with timeout ms, acks {ok, reply|error}
     * join(room) / leave(room)   acks the room
     * to-room(room, args...)     "room-message" to the room except the sender
     * broadcast(args...)         "broadcast-message" to the whole namespace except the sender
     * volatile-self(n)           "volatile" 0..n-1 to the sender as volatile, then "volatile-end"(n) normally
     * volatile-room(room, args)  "room-volatile" to the room except the sender, volatile
     * broadcast-ack(room, ms, args...)  namespace.to(room).timeout(ms).emitWithAck("poll", args...),
     *                            acks {ok, responses[, error]}
     * is-connected(sid)          acks whether that socket is connected to this namespace
     * </pre>
     */
    static void handlers(Socket socket) {
        socket.on("echo", (args, ack) -> {
            socket.emit("echo", args.toArray());
            reply(ack, args.toArray());
        });
        socket.on("ack", (args, ack) -> reply(ack, args.toArray()));
        socket.on("ignore", (args, ack) -> LOG.fine("ignoring a request on purpose"));
        socket.on("whoami", (args, ack) -> reply(ack, whoami(socket)));
        socket.on("ask", (args, ack) -> {
            String event = args.get(0).asText();
            long timeout = args.get(1).asLong();
            Object[] payload = args.subList(2, args.size()).toArray();
            report(socket.timeout(timeout).emitWithAck(event, payload), "reply", ack);
        });
        socket.on("join", (args, ack) -> {
            socket.join(args.get(0).asText());
            reply(ack, args.get(0));
        });
        socket.on("leave", (args, ack) -> {
            socket.leave(args.get(0).asText());
            reply(ack, args.get(0));
        });
        socket.on("to-room", (args, ack) -> {
            socket.to(args.get(0).asText()).emit("room-message", rest(args, 1));
            reply(ack);
        });
        socket.on("broadcast", (args, ack) -> {
            socket.broadcast().emit("broadcast-message", args.toArray());
            reply(ack);
        });
        socket.on("volatile-self", (args, ack) -> {
            int count = args.get(0).asInt();
            for (int i = 0; i < count; i++) {
                socket.volatile_().emit("volatile", i);
            }
            socket.emit("volatile-end", count);
            reply(ack);
        });
        socket.on("volatile-room", (args, ack) -> {
            socket.to(args.get(0).asText()).volatile_().emit("room-volatile", rest(args, 1));
            reply(ack);
        });
        socket.on("broadcast-ack", (args, ack) -> {
            String room = args.get(0).asText();
            long timeout = args.get(1).asLong();
            report(socket.namespace().to(room).timeout(timeout).emitWithAck("poll", rest(args, 2)), "responses",
                    ack);
        });
        socket.on("is-connected", (args, ack) ->
                reply(ack, socket.namespace().sockets().containsKey(args.get(0).asText())));
    }

    private static ObjectNode whoami(Socket socket) {
        ObjectNode me = NODES.objectNode();
        me.put("id", socket.id());
        me.put("nsp", socket.namespace().name());
        me.put("recovered", socket.recovered());
        me.put("transport", socket.transportName());
        ArrayNode rooms = me.putArray("rooms");
        socket.rooms().stream().sorted().forEach(rooms::add);
        return me;
    }

    /** Acks {ok:true, field:[...]} or {ok:false, error:"<exception class>", responses:[what arrived in time]}. */
    private static void report(CompletableFuture<List<JsonNode>> result, String field, Ack ack) {
        result.whenComplete((values, failure) -> {
            ObjectNode outcome = NODES.objectNode();
            if (failure == null) {
                outcome.put("ok", true);
                outcome.putArray(field).addAll(values);
            } else {
                Throwable cause = failure instanceof CompletionException && failure.getCause() != null
                        ? failure.getCause() : failure;
                outcome.put("ok", false);
                outcome.put("error", cause.getClass().getSimpleName());
                if (cause instanceof AckTimeoutException timeout) {
                    outcome.putArray("responses").addAll(timeout.responses());
                }
                LOG.log(Level.FINE, "emitWithAck failed: {0}", cause.toString());
            }
            reply(ack, outcome);
        });
    }

    private static Object[] rest(List<JsonNode> args, int from) {
        return args.subList(Math.min(from, args.size()), args.size()).toArray();
    }

    private static void reply(Ack ack, Object... args) {
        if (ack != null) {
            ack.send(args);
        }
    }
}
