package dev.switchboard.socketio;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.adapter.Adapter;
import dev.switchboard.adapter.AdapterFactory;
import dev.switchboard.adapter.LocalSocket;
import dev.switchboard.adapter.NamespaceView;
import dev.switchboard.socketio.broadcast.BroadcastContext;
import dev.switchboard.socketio.broadcast.BroadcastOperator;
import dev.switchboard.socketio.broadcast.EventArgs;
import dev.switchboard.socketio.broadcast.RemoteSocket;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * A Socket.IO namespace: its connection middlewares and listeners, its connected sockets, and broadcasts to them
 * through its adapter.
 * <pre>{@code
 * Namespace chat = io.of("/chat");
 * chat.use((socket, next) -> next.accept(valid(socket.handshake().auth()) ? null : new MiddlewareError("denied")));
 * chat.onConnection(socket -> socket.on("hello", (args, ack) -> chat.to("lobby").emit("hello", args.get(0))));
 * }</pre>
 */
public final class Namespace {

    private final SocketIoServer server;
    private final String name;
    private final Adapter adapter;
    private final BroadcastContext broadcastContext;
    private final List<ConnectionMiddleware> middlewares = new CopyOnWriteArrayList<>();
    private final List<Consumer<Socket>> connectionListeners = new CopyOnWriteArrayList<>();
    private final List<Consumer<List<JsonNode>>> serverSideListeners = new CopyOnWriteArrayList<>();
    private final Map<String, Socket> sockets = new ConcurrentHashMap<>();
    private final AtomicLong ackIds = new AtomicLong();

    Namespace(SocketIoServer server, String name, AdapterFactory adapters) {
        this.server = server;
        this.name = name;
        this.adapter = adapters.create(new View());
        this.broadcastContext = new BroadcastContext(name, adapter, ackIds::getAndIncrement, server.scheduler(),
                server.options().defaultAckTimeoutMillis(), recipients -> server.metrics().broadcast(name, recipients));
        adapter.init();
    }

    public String name() {
        return name;
    }

    /** Called for each socket right after its CONNECT reply was written. */
    public Namespace onConnection(Consumer<Socket> listener) {
        connectionListeners.add(listener);
        return this;
    }

    /** Adds a connection middleware; they run in the order added. */
    public Namespace use(ConnectionMiddleware middleware) {
        middlewares.add(middleware);
        return this;
    }

    /** Sockets connected to this namespace on this node, by id (read-only view). */
    public Map<String, Socket> sockets() {
        return Collections.unmodifiableMap(sockets);
    }

    public Adapter adapter() {
        return adapter;
    }

    public BroadcastOperator to(String... rooms) {
        return operator().to(rooms);
    }

    public BroadcastOperator in(String... rooms) {
        return to(rooms);
    }

    public BroadcastOperator except(String... rooms) {
        return operator().except(rooms);
    }

    public BroadcastOperator volatile_() {
        return operator().volatile_();
    }

    public BroadcastOperator local() {
        return operator().local();
    }

    public BroadcastOperator timeout(long millis) {
        return operator().timeout(millis);
    }

    /** Sends to every socket of the namespace. */
    public boolean emit(String event, Object... args) {
        return operator().emit(event, args);
    }

    public CompletableFuture<List<JsonNode>> emitWithAck(String event, Object... args) {
        return operator().emitWithAck(event, args);
    }

    public CompletableFuture<List<RemoteSocket>> fetchSockets() {
        return operator().fetchSockets();
    }

    public void socketsJoin(String... rooms) {
        operator().socketsJoin(rooms);
    }

    public void socketsLeave(String... rooms) {
        operator().socketsLeave(rooms);
    }

    public void disconnectSockets(boolean close) {
        operator().disconnectSockets(close);
    }

    /** Sends an event to this namespace on the other nodes (nobody on a single node). */
    public void serverSideEmit(String event, Object... args) {
        EventArgs.requireEmittable(event);
        adapter.serverSideEmit(EventArgs.elementsOf(EventArgs.eventData(event, args)));
    }

    /** Receives server-side events from other nodes: [event, args...]. */
    public Namespace onServerSideEmit(Consumer<List<JsonNode>> listener) {
        serverSideListeners.add(listener);
        return this;
    }

    @Override
    public String toString() {
        return "Namespace[" + name + "]";
    }

    // ---- package-private ----

    SocketIoServer server() {
        return server;
    }

    BroadcastContext broadcastContext() {
        return broadcastContext;
    }

    long nextAckId() {
        return ackIds.getAndIncrement();
    }

    List<ConnectionMiddleware> middlewares() {
        return List.copyOf(middlewares);
    }

    List<Consumer<Socket>> connectionListeners() {
        return List.copyOf(connectionListeners);
    }

    void added(Socket socket) {
        sockets.put(socket.id(), socket);
    }

    void remove(Socket socket) {
        sockets.remove(socket.id(), socket);
    }

    void close() {
        adapter.close();
    }

    private BroadcastOperator operator() {
        return new BroadcastOperator(broadcastContext);
    }

    /** What the adapter sees of this namespace. */
    private final class View implements NamespaceView {
        @Override
        public String name() {
            return name;
        }

        @Override
        public Optional<LocalSocket> localSocket(String socketId) {
            Socket socket = sockets.get(socketId);
            return socket == null ? Optional.empty() : Optional.of(socket.port());
        }

        @Override
        public long nextAckId() {
            return ackIds.getAndIncrement();
        }

        @Override
        public long nowMillis() {
            return server.clock().nowMillis();
        }

        @Override
        public long recoveryWindowMillis() {
            RecoveryOptions recovery = server.options().recovery();
            return recovery == null ? 0 : recovery.maxDisconnectionDurationMillis();
        }

        @Override
        public void onServerSideEmit(List<JsonNode> args) {
            for (Consumer<List<JsonNode>> listener : serverSideListeners) {
                SocketListeners.guard("server-side listener", () -> listener.accept(args));
            }
        }
    }
}
