package dev.switchboard.socketio;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.adapter.BroadcastFlags;
import dev.switchboard.adapter.BroadcastOptions;
import dev.switchboard.adapter.LocalSocket;
import dev.switchboard.adapter.PersistedSession;
import dev.switchboard.adapter.SocketDetails;
import dev.switchboard.socketio.broadcast.BroadcastOperator;
import dev.switchboard.socketio.broadcast.EventArgs;
import dev.switchboard.socketio.parser.EncodedSioPacket;
import dev.switchboard.socketio.parser.SioJson;
import dev.switchboard.socketio.parser.SioPacket;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * One client's connection to one namespace. Register handlers in the namespace's connection listener:
 * <pre>{@code
 * io.sockets().onConnection(socket -> {
 *     socket.on("chat", (args, ack) -> {
 *         socket.to("room").emit("chat", args.get(0));
 *         if (ack != null) ack.send("ok");
 *     });
 *     socket.onDisconnect(reason -> log(reason));
 * });
 * }</pre>
 */
public final class Socket {

    private static final Logger LOG = Logger.getLogger(Socket.class.getName());

    private final String id;
    private final String pid;
    private final Namespace namespace;
    private final Client client;
    private final Handshake handshake;
    private final ConcurrentMap<String, Object> data = new ConcurrentHashMap<>();
    private final boolean recovered;
    private final AckRegistry acks;
    private final SocketListeners listeners = new SocketListeners();
    private final AtomicBoolean closed = new AtomicBoolean();
    private final AtomicBoolean leaving = new AtomicBoolean();
    private final LocalSocket port = new SocketPort(this);
    /** Held while the CONNECT reply and the replay of missed packets are written, and by every delivery. */
    private final Object deliveryLock = new Object();
    private volatile boolean connected;

    Socket(Namespace namespace, Client client, JsonNode auth, PersistedSession previous) {
        this.namespace = namespace;
        this.client = client;
        this.acks = new AckRegistry(namespace.server().scheduler());
        this.handshake = Handshake.of(client.engineSocket().handshake(), auth, namespace.server().clock().nowMillis());
        if (previous != null) {
            this.id = previous.sid();
            this.pid = previous.pid();
            this.recovered = true;
            data.putAll(previous.data());
            namespace.adapter().addAll(id, previous.rooms());
        } else {
            this.id = SocketIds.generate();
            this.pid = namespace.server().options().recoveryEnabled() ? SocketIds.generate() : null;
            this.recovered = false;
        }
    }

    public String id() {
        return id;
    }

    public Namespace namespace() {
        return namespace;
    }

    public Handshake handshake() {
        return handshake;
    }

    /** Application data; kept across a recovered reconnection. */
    public ConcurrentMap<String, Object> data() {
        return data;
    }

    public Set<String> rooms() {
        return namespace.adapter().socketRooms(id);
    }

    public void join(String... rooms) {
        if (!closed.get()) {
            namespace.adapter().addAll(id, new java.util.LinkedHashSet<>(Arrays.asList(rooms)));
        }
    }

    public void leave(String room) {
        namespace.adapter().del(id, room);
    }

    public boolean connected() {
        return connected;
    }

    /** True when connection state recovery restored this socket's id, rooms and data. */
    public boolean recovered() {
        return recovered;
    }

    /** "polling" or "websocket". */
    public String transportName() {
        return client.engineSocket().transportName();
    }

    public Socket on(String event, EventHandler handler) {
        listeners.on(event, handler);
        return this;
    }

    public Socket off(String event) {
        listeners.off(event);
        return this;
    }

    public Socket onAny(AnyListener listener) {
        listeners.onAny(listener);
        return this;
    }

    public Socket onAnyOutgoing(AnyListener listener) {
        listeners.onAnyOutgoing(listener);
        return this;
    }

    public Socket use(PacketMiddleware middleware) {
        listeners.use(middleware);
        return this;
    }

    public Socket onDisconnecting(Consumer<DisconnectReason> listener) {
        listeners.onDisconnecting(listener);
        return this;
    }

    public Socket onDisconnect(Consumer<DisconnectReason> listener) {
        listeners.onDisconnect(listener);
        return this;
    }

    /** Errors of packet middlewares. */
    public Socket onError(Consumer<Exception> listener) {
        listeners.onError(listener);
        return this;
    }

    /** Sends an event to this client; false when the socket is no longer connected. */
    public boolean emit(String event, Object... args) {
        return emitter().emit(event, args);
    }

    /** Sends an event and waits for the client's acknowledgement (default timeout from the options). */
    public CompletableFuture<List<JsonNode>> emitWithAck(String event, Object... args) {
        return emitter().emitWithAck(event, args);
    }

    public SocketEmitter timeout(long millis) {
        return emitter().timeout(millis);
    }

    public SocketEmitter volatile_() {
        return emitter().volatile_();
    }

    public BroadcastOperator to(String... rooms) {
        return broadcast().to(rooms);
    }

    public BroadcastOperator in(String... rooms) {
        return to(rooms);
    }

    public BroadcastOperator except(String... rooms) {
        return broadcast().except(rooms);
    }

    /** Every socket of the namespace but this one. */
    public BroadcastOperator broadcast() {
        return emitter().broadcast();
    }

    public BroadcastOperator local() {
        return broadcast().local();
    }

    /** Leaves the namespace (DISCONNECT sent); with true, closes the whole connection and its other namespaces. */
    public void disconnect(boolean closeUnderlyingConnection) {
        if (!connected) {
            return;
        }
        if (closeUnderlyingConnection) {
            client.disconnectAll();
        } else {
            client.write(SioPacket.disconnect(namespace.name()), false);
            onClose(DisconnectReason.SERVER_NAMESPACE_DISCONNECT);
        }
    }

    @Override
    public String toString() {
        return "Socket[" + id + " " + namespace.name() + "]";
    }

    private SocketEmitter emitter() {
        return new SocketEmitter(this, BroadcastFlags.NONE);
    }

    // ---- package-private lifecycle, driven by Namespace and Client ----

    LocalSocket port() {
        return port;
    }

    Client client() {
        return client;
    }

    /** Joins the own-id room, writes the CONNECT reply, then replays what a recovered session missed. */
    void onConnect(List<ArrayNode> missedPackets) {
        join(id);
        ObjectNode reply = SioJson.mapper().createObjectNode();
        reply.put("sid", id);
        if (pid != null) {
            reply.put("pid", pid);
        }
        // A broadcast from another thread (the socket is already in its rooms) waits in deliver() until the replay
        // is written: otherwise a live packet could overtake the missed ones.
        synchronized (deliveryLock) {
            connected = true;
            client.write(SioPacket.connect(namespace.name(), reply), false);
            for (ArrayNode missed : missedPackets) {
                client.write(SioPacket.event(namespace.name(), missed, SioPacket.NO_ACK), false);
            }
        }
    }

    void onPacket(SioPacket packet) {
        switch (packet.type()) {
            case EVENT -> onEvent(packet);
            case ACK -> acks.complete(packet.ackId(), EventArgs.elementsOf(packet.data()));
            case DISCONNECT -> onClose(DisconnectReason.CLIENT_NAMESPACE_DISCONNECT);
            default -> LOG.log(Level.FINE, "ignoring packet type {0} on {1}", new Object[] {packet.type(), this});
        }
    }

    private void onEvent(SioPacket packet) {
        String event = packet.data().get(0).asText();
        if (EventArgs.isReserved(event)) {
            LOG.log(Level.FINE, "ignoring reserved event name \"{0}\" from {1}", new Object[] {event, id});
            return;
        }
        List<JsonNode> args = EventArgs.argsOf(packet.data());
        Ack ack = packet.hasAck() ? new OnceAck(client, namespace.name(), packet.ackId()) : null;
        SocketIoServer server = namespace.server();
        server.metrics().messageReceived(namespace.name());
        server.dispatchIncoming(() -> listeners.incoming(event, args, () -> {
            if (connected) {
                listeners.dispatch(event, args, ack);
            }
        }));
    }

    /** Leaves the namespace for good: disconnecting listeners, session persisted, rooms and acks dropped. */
    void onClose(DisconnectReason reason) {
        if (!connected || !leaving.compareAndSet(false, true)) {
            return;
        }
        LOG.log(Level.FINE, "socket {0} disconnecting: {1}", new Object[] {id, reason});
        namespace.server().metrics().disconnected(namespace.name(), reason.text());
        listeners.disconnecting(reason);
        if (pid != null && reason.recoverable()) {
            namespace.adapter().persistSession(new PersistedSession(id, pid, rooms(), data));
        }
        cleanup();
        client.remove(this);
        connected = false;
        listeners.disconnected(reason);
    }

    /** Forgets the socket everywhere; also used when a connection is refused before it was connected. */
    void cleanup() {
        closed.set(true);
        namespace.adapter().delAll(id);
        namespace.remove(this);
        acks.cancelAll();
    }

    /** Sends an EVENT; with recovery on, through the adapter so that it is logged with an offset. */
    boolean sendEvent(ArrayNode eventData, long ackId, BroadcastFlags flags) {
        if (!connected) {
            return false;
        }
        SioPacket packet = SioPacket.event(namespace.name(), eventData, ackId);
        if (pid != null) {
            namespace.adapter().broadcast(packet, new BroadcastOptions(Set.of(id), Set.of(), flags));
        } else {
            notifyOutgoing(packet);
            if (client.write(packet, flags.isVolatile())) {
                namespace.server().metrics().messageSent(namespace.name());
            }
        }
        return true;
    }

    CompletableFuture<List<JsonNode>> expectAck(long ackId, long timeoutMillis) {
        CompletableFuture<List<JsonNode>> future = acks.expect(ackId, timeoutMillis);
        future.whenComplete((r, e) -> {
            if (e instanceof dev.switchboard.socketio.broadcast.AckTimeoutException) {
                namespace.server().metrics().ackTimedOut();
            }
        });
        return future;
    }

    int pendingAcks() {
        return acks.size();
    }

    /** Writes a packet the adapter encoded (a broadcast), if still connected. */
    void deliver(SioPacket packet, EncodedSioPacket encoded, BroadcastFlags flags) {
        synchronized (deliveryLock) {
            if (!connected) {
                return;
            }
        }
        notifyOutgoing(packet);
        if (client.writeEncoded(encoded, flags.isVolatile())) {
            namespace.server().metrics().messageSent(namespace.name());
        }
    }

    void expectBroadcastAck(long ackId, Consumer<List<JsonNode>> ack) {
        acks.expect(ackId, ack);
    }

    SocketDetails details() {
        return new SocketDetails(id, handshake.toJson(), rooms(), data);
    }

    private void notifyOutgoing(SioPacket packet) {
        if (listeners.hasOutgoingListeners() && packet.data() instanceof ArrayNode eventData) {
            listeners.outgoing(eventData.get(0).asText(), EventArgs.argsOf(eventData));
        }
    }
}
