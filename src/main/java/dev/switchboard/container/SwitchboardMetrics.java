package dev.switchboard.container;

import dev.switchboard.engineio.EngineServer;
import dev.switchboard.socketio.Namespace;
import dev.switchboard.socketio.Socket;
import dev.switchboard.socketio.SocketIoServer;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;

/**
 * The node's metrics: a {@link MetricsRegistry} with the core's observer ({@link CoreMetrics}) and gauges read
 * from the running servers when scraped. Served at {@code /metrics} ({@link MetricsServlet}); the chat layer adds
 * its own families through {@link #registry()}.
 */
@ApplicationScoped
public class SwitchboardMetrics {
    private final MetricsRegistry registry = new MetricsRegistry();
    private final CoreMetrics core = new CoreMetrics(registry);

    public MetricsRegistry registry() {
        return registry;
    }

    /** The observer to hand to the engine and the Socket.IO server: a plain object (see {@link CoreMetrics}). */
    public CoreMetrics observer() {
        return core;
    }

    /** Counts an error by code: protocol codes (parse_error, ...) and the chat's codes (RATE_LIMITED, ...). */
    public void countError(String code) {
        core.countError(code);
    }

    /** Registers the gauges that read the running servers. */
    public void attach(SocketIoServer io, List<EngineServer> engines, BooleanSupplier draining) {
        registry.gauge("socketio_connected_clients", "Sockets connected now, by namespace and transport",
                () -> connectedClients(io));
        // a room left behind by a disconnected socket is invisible otherwise (broadcasts skip unknown ids)
        registry.gauge("socketio_rooms", "Rooms with members now, by namespace (each socket's own room included)",
                () -> rooms(io));
        registry.gauge("engineio_sessions_open", "Engine.IO sessions open now (all endpoints)",
                () -> Map.of("", engines.stream().mapToInt(EngineServer::openSessionCount).sum()));
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
}
