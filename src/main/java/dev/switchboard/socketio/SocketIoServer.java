package dev.switchboard.socketio;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.adapter.AdapterFactory;
import dev.switchboard.adapter.memory.InMemoryAdapter;
import dev.switchboard.engineio.Clock;
import dev.switchboard.engineio.CloseReason;
import dev.switchboard.engineio.EngineConnectionHandler;
import dev.switchboard.engineio.EngineSocket;
import dev.switchboard.engineio.Scheduler;
import dev.switchboard.socketio.parser.SioEncoder;
import dev.switchboard.socketio.parser.SioJson;
import dev.switchboard.socketio.parser.SioPacket;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.regex.Pattern;

/**
 * The Socket.IO v5 server: give it to the Engine.IO server as its connection handler, then register namespaces.
 * <pre>{@code
 * SocketIoServer io = new SocketIoServer(SocketIoOptions.defaults(), clock, scheduler);
 * io.sockets().onConnection(socket -> {
 *     socket.emit("auth", socket.handshake().auth());
 *     socket.on("message", (args, ack) -> socket.emit("message-back", args.toArray()));
 * });
 * }</pre>
 */
public final class SocketIoServer implements EngineConnectionHandler {

    private static final Logger LOG = Logger.getLogger(SocketIoServer.class.getName());

    private final SocketIoOptions options;
    private final Clock clock;
    private final Scheduler scheduler;
    private final AdapterFactory adapters;
    private final SioEncoder encoder = new SioEncoder();
    private final Map<String, Namespace> namespaces = new ConcurrentHashMap<>();
    private final List<ParentNamespace> parents = new CopyOnWriteArrayList<>();
    private final Set<Client> clients = ConcurrentHashMap.newKeySet();
    private final Namespace main;
    private volatile boolean closed;
    private volatile boolean draining;
    private volatile SocketIoMetrics metrics = SocketIoMetrics.NONE;
    private final java.util.concurrent.atomic.AtomicInteger inFlight = new java.util.concurrent.atomic.AtomicInteger();

    public SocketIoServer(SocketIoOptions options, Clock clock, Scheduler scheduler, AdapterFactory adapters) {
        this.options = Objects.requireNonNull(options, "options");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
        this.adapters = Objects.requireNonNull(adapters, "adapters");
        this.main = of("/");
    }

    /** With the in-memory adapter (a single node). */
    public SocketIoServer(SocketIoOptions options, Clock clock, Scheduler scheduler) {
        this(options, clock, scheduler, InMemoryAdapter::new);
    }

    @Override
    public void onConnection(EngineSocket socket) {
        if (closed) {
            socket.close(CloseReason.SERVER_SHUTDOWN);
            return;
        }
        Client client = new Client(this, socket);
        clients.add(client);
        client.start();
    }

    /** The static namespace with this name ("/" added in front if missing), created on first use. */
    public Namespace of(String name) {
        return namespace(normalize(name), nsp -> { });
    }

    /** Dynamic namespaces: any name the matcher accepts (with the client's CONNECT payload) is created on demand. */
    public ParentNamespace of(NamespaceMatcher matcher) {
        ParentNamespace parent = new ParentNamespace(this, Objects.requireNonNull(matcher, "matcher"));
        parents.add(parent);
        return parent;
    }

    /** Dynamic namespaces whose name the pattern finds a match in. */
    public ParentNamespace of(Pattern regex) {
        return of((name, auth) -> regex.matcher(name).find());
    }

    /** The main namespace "/". */
    public Namespace sockets() {
        return main;
    }

    public SocketIoOptions options() {
        return options;
    }

    /** Where this server reports connections, messages, errors and disconnects (no-op by default). */
    public void setMetrics(SocketIoMetrics metrics) {
        this.metrics = metrics == null ? SocketIoMetrics.NONE : metrics;
    }

    /** The namespaces created so far (static and dynamic children). */
    public java.util.Collection<Namespace> namespaces() {
        return List.copyOf(namespaces.values());
    }

    /**
     * The first step of a graceful shutdown: events that arrive from now on are not dispatched (the client's retry
     * reaches another node), while the ones being handled finish and may still acknowledge. See {@link #inFlight()}.
     */
    public void drain() {
        draining = true;
    }

    public boolean isDraining() {
        return draining;
    }

    /** Events being handled right now (their handlers have not returned). */
    public int inFlight() {
        return inFlight.get();
    }

    /** Disconnects every socket with "server shutting down" and closes every Engine.IO connection. */
    public void close() {
        closed = true;
        for (Client client : new ArrayList<>(clients)) {
            SocketListeners.guard("shutdown of a client", client::shutdown);
        }
        namespaces.values().forEach(nsp -> SocketListeners.guard("closing " + nsp, nsp::close));
    }

    // ---- package-private ----

    Clock clock() {
        return clock;
    }

    SocketIoMetrics metrics() {
        return metrics;
    }

    /** Runs an incoming event's handlers unless draining, counting it as in flight meanwhile. */
    void dispatchIncoming(Runnable handlers) {
        if (draining) {
            metrics.droppedWhileDraining();
            return;
        }
        inFlight.incrementAndGet();
        try {
            handlers.run();
        } finally {
            inFlight.decrementAndGet();
        }
    }

    Scheduler scheduler() {
        return scheduler;
    }

    SioEncoder encoder() {
        return encoder;
    }

    void removeClient(Client client) {
        clients.remove(client);
    }

    int clientCount() {
        return clients.size();
    }

    /** The namespace with this name; {@code init} runs once, right after creating it. */
    Namespace namespace(String name, Consumer<Namespace> init) {
        return namespaces.computeIfAbsent(name, n -> {
            Namespace created = new Namespace(this, n, adapters);
            init.accept(created);
            LOG.log(Level.FINE, "namespace {0} created", n);
            return created;
        });
    }

    /** A CONNECT for {@code name}: a known namespace, a dynamic one created now, or "Invalid namespace". */
    void connect(Client client, String name, JsonNode auth) {
        Namespace target = namespaces.get(name);
        if (target == null) {
            for (ParentNamespace parent : parents) {
                if (parent.matches(name, auth)) {
                    target = parent.child(name);
                    break;
                }
            }
        }
        if (target == null) {
            LOG.log(Level.FINE, "CONNECT to unknown namespace {0} refused", name);
            metrics.error("invalid_namespace");
            ObjectNode error = SioJson.mapper().createObjectNode().put("message", "Invalid namespace");
            client.write(SioPacket.connectError(name, error), false);
            return;
        }
        NamespaceConnection.start(target, client, auth);
    }

    private static String normalize(String name) {
        Objects.requireNonNull(name, "name");
        return name.startsWith("/") ? name : "/" + name;
    }
}
