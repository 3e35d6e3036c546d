package dev.switchboard.engineio;

import dev.switchboard.engineio.transport.HttpReply;
import dev.switchboard.engineio.transport.HttpRequestInfo;
import dev.switchboard.engineio.transport.PollExchange;
import dev.switchboard.engineio.transport.WebSocketConnection;
import dev.switchboard.engineio.transport.WebSocketHandler;
import dev.switchboard.engineio.transport.WebSocketWriter;

import java.security.SecureRandom;
import java.util.Base64;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The Engine.IO v4 server, independent of any HTTP host: it verifies requests, opens sessions and routes polling
 * requests and WebSocket frames to them. The container adapts servlet requests and WebSocket sessions to its ports.
 */
public final class EngineServer {
    private static final System.Logger LOG = System.getLogger(EngineServer.class.getName());
    private static final SecureRandom RANDOM = new SecureRandom();

    private final EngineOptions options;
    private final Clock clock;
    private final Scheduler scheduler;
    private final EngineConnectionHandler handler;
    private final OriginPolicy origins;
    private final HttpReplies replies;
    private final Map<String, EngineSession> sessions = new ConcurrentHashMap<>();
    /** Closed sessions kept in {@link #sessions} a few seconds for their client's next poll (see EngineSession). */
    private final Set<EngineSession> lingering = ConcurrentHashMap.newKeySet();
    private volatile boolean accepting = true;
    private volatile EngineMetrics metrics = EngineMetrics.NONE;
    private volatile EngineLimits limits = EngineLimits.NONE;
    private volatile HandshakeRateLimiter handshakeRate;

    public EngineServer(EngineOptions options, Clock clock, Scheduler scheduler, EngineConnectionHandler handler) {
        this.options = options;
        this.clock = clock;
        this.scheduler = scheduler;
        this.handler = handler;
        this.origins = new OriginPolicy(options.allowedOrigins());
        this.replies = new HttpReplies(origins, options.compressionThreshold());
    }

    public EngineOptions options() {
        return options;
    }

    /**
     * Sessions still held, including closed ones kept a few seconds so that their client's next poll learns of the
     * close: what a graceful drain waits for.
     */
    public int sessionCount() {
        return sessions.size();
    }

    /** Open sessions: what the connection limit, the sessions gauge and health report. */
    public int openSessionCount() {
        return Math.max(0, sessions.size() - lingering.size());
    }

    /** Where this server reports handshakes, refusals and upgrades (no-op by default). */
    public void setMetrics(EngineMetrics metrics) {
        this.metrics = metrics == null ? EngineMetrics.NONE : metrics;
    }

    EngineMetrics metrics() {
        return metrics;
    }

    /** Admission limits: sessions per node and handshakes per address per second. */
    public void setLimits(EngineLimits limits) {
        this.limits = limits == null ? EngineLimits.NONE : limits;
        this.handshakeRate = new HandshakeRateLimiter(this.limits.handshakesPerSecondPerIp(), clock);
    }

    public boolean isAccepting() {
        return accepting;
    }

    /** Polling GETs held open right now, waiting for data. */
    public int heldPolls() {
        int n = 0;
        for (EngineSession s : sessions.values()) {
            if (s.isPollHeld()) {
                n++;
            }
        }
        return n;
    }

    /** What the open sessions' send queues hold now: in total, and the deepest one (packets). */
    public SendQueueDepth sendQueueDepth() {
        long packets = 0;
        long bytes = 0;
        int deepest = 0;
        for (EngineSession s : sessions.values()) {
            int n = s.sendQueuePackets();
            packets += n;
            bytes += s.sendQueueBytes();
            deepest = Math.max(deepest, n);
        }
        return new SendQueueDepth(packets, bytes, deepest);
    }

    /** Send-queue totals over a server's sessions; {@code deepest} is the largest single queue, in packets. */
    public record SendQueueDepth(long packets, long bytes, int deepest) { }

    /** Answers one polling request (GET, POST or a CORS preflight), now or later. */
    public void handlePolling(PollExchange exchange) {
        HttpRequestInfo request = exchange.request();
        if ("OPTIONS".equals(request.method())) {
            exchange.reply(replies.preflight(request));
            return;
        }
        EngineError error = verify(request, false);
        if (error != null) {
            exchange.reply(replies.error(request, error));
            return;
        }
        String sid = request.query("sid");
        if (sid != null) {
            EngineSession session = sessions.get(sid);
            if (session == null) {
                exchange.reply(replies.error(request, EngineError.UNKNOWN_SID));
            } else if ("GET".equals(request.method())) {
                session.pollGet(exchange);
            } else if ("POST".equals(request.method())) {
                session.pollPost(exchange);
            } else {
                exchange.reply(replies.error(request, EngineError.BAD_REQUEST));
            }
            return;
        }
        if (!"GET".equals(request.method())) {
            exchange.reply(replies.error(request, EngineError.BAD_HANDSHAKE_METHOD));
            return;
        }
        Refusal refusal = admit(request);
        if (refusal != null) {
            exchange.reply(HttpReply.json(refusal.status(), "{\"code\":3,\"message\":\"" + refusal.message() + "\"}"));
            return;
        }
        EngineSession session = newSession(request);
        metrics.sessionOpened(EngineOptions.POLLING);
        String open = openPacket(session.id(), options.allowsUpgrade() ? List.of(EngineOptions.WEBSOCKET) : List.of());
        Map<String, String> cookie = options.cookieName() == null ? Map.of()
                : Map.of("Set-Cookie", options.cookieName() + "=" + session.id() + "; Path=/; HttpOnly; SameSite=Lax");
        session.open(null, open);
        notifyConnection(session);
        exchange.reply(replies.payload(request, "0" + open, cookie));
    }

    /**
     * Takes a WebSocket the container has accepted. A refused one is closed at once (refusing the HTTP upgrade
     * itself breaks clients that attach no error listener).
     */
    public WebSocketHandler handleWebSocket(HttpRequestInfo request, WebSocketConnection connection) {
        EngineError error = verify(request, true);
        if (error != null) {
            LOG.log(System.Logger.Level.DEBUG, "websocket refused: {0}", error.message());
            connection.close(error == EngineError.FORBIDDEN ? 1008 : 1002, error.message());
            return WebSocketHandler.CLOSED;
        }
        String sid = request.query("sid");
        WebSocketWriter writer = new WebSocketWriter(connection);
        EngineSession session;
        if (sid != null) {
            session = sessions.get(sid);
            if (session == null || !session.beginUpgrade(writer)) {
                connection.close(1002, session == null ? EngineError.UNKNOWN_SID.message() : "upgrade refused");
                return WebSocketHandler.CLOSED;
            }
        } else {
            Refusal refusal = admit(request);
            if (refusal != null) {
                connection.close(refusal.status() == 503 && !accepting ? 1001 : 1013, refusal.message());
                return WebSocketHandler.CLOSED;
            }
            session = newSession(request);
            metrics.sessionOpened(EngineOptions.WEBSOCKET);
            session.open(writer, openPacket(session.id(), List.of()));
            notifyConnection(session);
        }
        EngineSession target = session;
        return new WebSocketHandler() {
            @Override public void onText(String text) { target.onWebSocketText(connection, text); }

            @Override public void onBinary(byte[] data) { target.onWebSocketBinary(connection, data); }

            @Override public void onClose(boolean failed) { target.onWebSocketClose(connection, failed); }
        };
    }

    /** Stops accepting sessions (new handshakes get 503) and closes every open one. */
    public void shutdown() {
        accepting = false;
        for (EngineSession s : List.copyOf(sessions.values())) {
            s.close(CloseReason.SERVER_SHUTDOWN);
        }
    }

    /** Stops accepting new sessions, leaving open ones alone (the first step of a graceful drain). */
    public void stopAccepting() {
        accepting = false;
    }

    public Collection<? extends EngineSocket> sessions() {
        return List.copyOf(sessions.values());
    }

    /** Why a new session may not open now (503 draining or full, 429 too fast), or null. */
    private Refusal admit(HttpRequestInfo request) {
        Refusal refusal = null;
        if (!accepting) {
            refusal = new Refusal(503, "Server is shutting down", "shutting_down");
        } else if (limits.maxConnections() > 0 && openSessionCount() >= limits.maxConnections()) {
            refusal = new Refusal(503, "Server is at its connection limit", "max_connections");
        } else if (handshakeRate != null && request.remoteAddress() != null && !request.remoteAddress().isEmpty()
                && !handshakeRate.tryAcquire(request.remoteAddress())) {
            refusal = new Refusal(429, "Too many handshakes from this address", "rate_limited");
        }
        if (refusal != null) {
            metrics.handshakeRefused(refusal.metric());
            LOG.log(System.Logger.Level.DEBUG, "handshake refused: {0}", refusal.message());
        }
        return refusal;
    }

    private record Refusal(int status, String message, String metric) { }

    private EngineError verify(HttpRequestInfo request, boolean websocket) {
        if (!"4".equals(request.query("EIO"))) {
            return EngineError.UNSUPPORTED_PROTOCOL_VERSION;
        }
        String transport = request.query("transport");
        if (transport == null || !options.transports().contains(transport)) {
            return EngineError.UNKNOWN_TRANSPORT;
        }
        if (websocket != EngineOptions.WEBSOCKET.equals(transport)) {
            return EngineError.BAD_REQUEST;
        }
        if (!origins.permits(request.header("origin"), request.header("host"), request.secure())) {
            return EngineError.FORBIDDEN;
        }
        return null;
    }

    private EngineSession newSession(HttpRequestInfo request) {
        String id;
        do {
            id = newId();
        } while (sessions.containsKey(id));
        EngineHandshake handshake = new EngineHandshake(request.query(), request.headers(), request.remoteAddress(),
                clock.nowMillis(), request.secure(), request.url());
        EngineSession session = new EngineSession(id, handshake, options, clock, scheduler, replies, lingering::add,
                s -> {
                    sessions.remove(s.id(), s);
                    lingering.remove(s);
                });
        session.setMetrics(metrics);
        sessions.put(id, session);
        return session;
    }

    private void notifyConnection(EngineSession session) {
        try {
            handler.onConnection(session);
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "connection handler failed; closing session " + session.id(), e);
            session.close(CloseReason.TRANSPORT_ERROR);
        }
    }

    private String openPacket(String sid, List<String> upgrades) {
        StringBuilder up = new StringBuilder("[");
        for (String u : upgrades) {
            up.append(up.length() > 1 ? "," : "").append('"').append(u).append('"');
        }
        return "{\"sid\":\"" + sid + "\",\"upgrades\":" + up + "],\"pingInterval\":" + options.pingIntervalMillis()
                + ",\"pingTimeout\":" + options.pingTimeoutMillis() + ",\"maxPayload\":" + options.maxPayload() + "}";
    }

    /** 120 random bits, URL-safe: not guessable, and safe unescaped in a query string. */
    static String newId() {
        byte[] bytes = new byte[15];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
