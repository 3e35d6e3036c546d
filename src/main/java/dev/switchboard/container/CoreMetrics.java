package dev.switchboard.container;

import dev.switchboard.engineio.EngineMetrics;
import dev.switchboard.socketio.SocketIoMetrics;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The core's observer interfaces implemented on a {@link MetricsRegistry}: a plain object, not a CDI bean, because the
 * core calls it per message and a client proxy would look the bean up again on every call.
 */
public final class CoreMetrics implements EngineMetrics, SocketIoMetrics {
    private static final double[] FANOUT_BUCKETS = {0, 1, 2, 5, 10, 50, 100, 500, 1_000, 5_000, 10_000};
    private final MetricsRegistry registry;
    // Series written per message or per broadcast, by namespace: looked up once, not rendered per event.
    private final Map<String, MetricsRegistry.Counter> received = new ConcurrentHashMap<>();
    private final Map<String, MetricsRegistry.Counter> sent = new ConcurrentHashMap<>();
    private final Map<String, MetricsRegistry.Counter> broadcasts = new ConcurrentHashMap<>();
    private volatile MetricsRegistry.Histogram fanout;

    CoreMetrics(MetricsRegistry registry) {
        this.registry = registry;
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
}
