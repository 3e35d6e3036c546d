package dev.switchboard.container;

import dev.switchboard.engineio.EngineMetrics;
import dev.switchboard.engineio.EngineServer;
import dev.switchboard.socketio.Namespace;
import dev.switchboard.socketio.Socket;
import dev.switchboard.socketio.SocketIoMetrics;
import dev.switchboard.socketio.SocketIoServer;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BooleanSupplier;

/**
 * The node's metrics: the core's observer interfaces implemented on a {@link MetricsRegistry}, plus gauges read
 * from the running servers when scraped. Served at {@code /metrics} ({@link MetricsServlet}); the chat layer adds
 * its own families through {@link #registry()}.
 */
@ApplicationScoped
public class SwitchboardMetrics implements EngineMetrics, SocketIoMetrics {
    private static final double[] FANOUT_BUCKETS = {0, 1, 2, 5, 10, 50, 100, 500, 1_000, 5_000, 10_000};
    private final MetricsRegistry registry = new MetricsRegistry();
    // Series written per message or per broadcast, by namespace: looked up once, not rendered per event.
    private final Map<String, MetricsRegistry.Counter> received = new ConcurrentHashMap<>();
    private final Map<String, MetricsRegistry.Counter> sent = new ConcurrentHashMap<>();
    private final Map<String, MetricsRegistry.Counter> broadcasts = new ConcurrentHashMap<>();
    private volatile MetricsRegistry.Histogram fanout;
    private final Observer observer = new Observer();

    public MetricsRegistry registry() {
        return registry;
    }

    /**
     * The observer to hand to the core: it calls this bean directly. Injection gives a CDI client proxy, which looks
     * the instance up again on every call, and the core calls these methods per message.
     */
    public Observer observer() {
        return observer;
    }

    /** Registers the gauges that read the running servers. */
    public void attach(SocketIoServer io, List<EngineServer> engines, BooleanSupplier draining) {
        registry.gauge("socketio_connected_clients", "Sockets connected now, by namespace and transport",
                () -> connectedClients(io));
        // a room left behind by a disconnected socket is invisible otherwise (broadcasts skip unknown ids)
        registry.gauge("socketio_rooms", "Rooms with members now, by namespace (each socket's own room included)",
                () -> rooms(io));
        registry.gauge("engineio_sessions_open", "Engine.IO sessions open now (all endpoints)",
                () -> Map.of("", engines.stream().mapToInt(EngineServer::sessionCount).sum()));
        registry.gauge("engineio_polling_requests_held", "Long-polling GET requests held open now",
                () -> Map.of("", engines.stream().mapToInt(EngineServer::heldPolls).sum()));
        registry.gauge("engineio_send_queue_packets", "Outbound packets clients have not taken yet (all sessions)",
                () -> Map.of("", engines.stream().mapToLong(e -> e.sendQueueDepth().packets()).sum()));
        registry.gauge("engineio_send_queue_bytes", "Size of those packets: characters of text, bytes of binary",
                () -> Map.of("", engines.stream().mapToLong(e -> e.sendQueueDepth().bytes()).sum()));
        registry.gauge("engineio_send_queue_max_packets", "The deepest single session's send queue, in packets",
                () -> Map.of("", engines.stream().mapToInt(e -> e.sendQueueDepth().deepest()).max().orElse(0)));
        registry.gauge("socketio_events_in_flight", "Incoming events whose handlers are running now",
                () -> Map.of("", io.inFlight()));
        registry.gauge("switchboard_draining", "1 while this node drains for shutdown, else 0",
                () -> Map.of("", draining.getAsBoolean() ? 1 : 0));
        // Counters without labels are exposed at 0 from the start: rate() and alerts see them before the first event.
        registry.counter("socketio_acks_timed_out_total", "Server-side emitWithAck calls that timed out");
        registry.counter("socketio_events_dropped_draining_total",
                "Incoming events not dispatched because the node was draining");
    }

    private static Map<String, Integer> connectedClients(SocketIoServer io) {
        Map<String, Integer> out = new HashMap<>();
        for (Namespace nsp : io.namespaces()) {
            for (Socket s : nsp.sockets().values()) {
                out.merge(MetricsRegistry.labels("namespace", nsp.name(), "transport", s.transportName()), 1,
                        Integer::sum);
            }
        }
        return out;
    }

    private static Map<String, Integer> rooms(SocketIoServer io) {
        Map<String, Integer> out = new HashMap<>();
        for (Namespace nsp : io.namespaces()) {
            out.merge(MetricsRegistry.labels("namespace", nsp.name()), nsp.adapter().roomCount(), Integer::sum);
        }
        return out;
    }

    // ---- Engine.IO ----

    @Override
    public void sessionOpened(String transport) {
        registry.counter("engineio_sessions_opened_total", "Engine.IO handshakes accepted, by first transport",
                "transport", transport).inc();
    }

    @Override
    public void handshakeRefused(String reason) {
        registry.counter("engineio_handshakes_refused_total",
                "Handshakes refused: shutting_down, max_connections, rate_limited", "reason", reason).inc();
    }

    @Override
    public void upgrade(boolean succeeded) {
        registry.counter("engineio_upgrades_total", "Polling-to-WebSocket upgrades, by result",
                "result", succeeded ? "success" : "failure").inc();
    }

    @Override
    public void packetsDropped(String reason, int count) {
        registry.counter("engineio_packets_dropped_total",
                "Outbound packets dropped: volatile (client behind), slow_consumer (discarded when closing one)",
                "reason", reason).inc(count);
    }

    @Override
    public void slowConsumer(String transport) {
        registry.counter("engineio_slow_consumer_disconnects_total",
                "Sessions closed because their send queue went over switchboard.send-queue.*, by transport",
                "transport", transport).inc();
    }

    // ---- Socket.IO ----

    @Override
    public void connected(String namespace) {
        registry.counter("socketio_connections_total", "Sockets connected to a namespace", "namespace", namespace)
                .inc();
    }

    @Override
    public void messageReceived(String namespace) {
        received.computeIfAbsent(namespace, ns -> registry.counter("socketio_messages_received_total",
                "EVENT packets received from clients", "namespace", ns)).inc();
    }

    @Override
    public void messageSent(String namespace) {
        sent.computeIfAbsent(namespace, ns -> registry.counter("socketio_messages_sent_total",
                "EVENT packets written to clients (each recipient counts)", "namespace", ns)).inc();
    }

    @Override
    public void broadcast(String namespace, int localRecipients) {
        broadcasts.computeIfAbsent(namespace, ns -> registry.counter("socketio_broadcasts_total",
                "Broadcast emits (to rooms or a whole namespace)", "namespace", ns)).inc();
        MetricsRegistry.Histogram h = fanout;
        if (h == null) {
            h = registry.histogram("socketio_broadcast_recipients", "Sockets of this node one broadcast was written to "
                    + "(the fan-out; other nodes count their own)", FANOUT_BUCKETS);
            fanout = h;
        }
        h.observe(localRecipients);
    }

    @Override
    public void error(String code) {
        countError(code);
    }

    /** Counts an error by code: protocol codes (parse_error, ...) and the chat's codes (RATE_LIMITED, ...). */
    public void countError(String code) {
        registry.counter("socketio_errors_total", "Errors by code: protocol (lower case) and chat (upper case)",
                "code", code).inc();
    }

    @Override
    public void ackTimedOut() {
        registry.counter("socketio_acks_timed_out_total", "Server-side emitWithAck calls that timed out").inc();
    }

    @Override
    public void disconnected(String namespace, String reason) {
        registry.counter("socketio_disconnects_total", "Sockets that left a namespace, by reason",
                "namespace", namespace, "reason", reason).inc();
    }

    @Override
    public void droppedWhileDraining() {
        registry.counter("socketio_events_dropped_draining_total",
                "Incoming events not dispatched because the node was draining").inc();
    }

    /** Forwards every observer method to the bean instance that created it (never through the proxy). */
    public final class Observer implements EngineMetrics, SocketIoMetrics {
        private Observer() {
        }

        @Override public void sessionOpened(String transport) { SwitchboardMetrics.this.sessionOpened(transport); }

        @Override public void handshakeRefused(String reason) { SwitchboardMetrics.this.handshakeRefused(reason); }

        @Override public void upgrade(boolean succeeded) { SwitchboardMetrics.this.upgrade(succeeded); }

        @Override public void packetsDropped(String reason, int count) {
            SwitchboardMetrics.this.packetsDropped(reason, count);
        }

        @Override public void slowConsumer(String transport) { SwitchboardMetrics.this.slowConsumer(transport); }

        @Override public void connected(String namespace) { SwitchboardMetrics.this.connected(namespace); }

        @Override public void messageReceived(String namespace) { SwitchboardMetrics.this.messageReceived(namespace); }

        @Override public void messageSent(String namespace) { SwitchboardMetrics.this.messageSent(namespace); }

        @Override public void broadcast(String namespace, int localRecipients) {
            SwitchboardMetrics.this.broadcast(namespace, localRecipients);
        }

        @Override public void error(String code) { SwitchboardMetrics.this.error(code); }

        @Override public void ackTimedOut() { SwitchboardMetrics.this.ackTimedOut(); }

        @Override public void disconnected(String namespace, String reason) {
            SwitchboardMetrics.this.disconnected(namespace, reason);
        }

        @Override public void droppedWhileDraining() { SwitchboardMetrics.this.droppedWhileDraining(); }
    }
}
