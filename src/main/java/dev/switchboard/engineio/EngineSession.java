package dev.switchboard.engineio;

import dev.switchboard.engineio.parser.EnginePacket;
import dev.switchboard.engineio.parser.EnginePacketType;
import dev.switchboard.engineio.parser.EngineParseException;
import dev.switchboard.engineio.parser.EngineParser;
import dev.switchboard.engineio.transport.HttpReply;
import dev.switchboard.engineio.transport.PollExchange;
import dev.switchboard.engineio.transport.WebSocketConnection;
import dev.switchboard.engineio.transport.WebSocketWriter;

import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;

/**
 * One Engine.IO session: its state (open, upgrading, closed), its write buffer, its heartbeat and its transport
 * (a held polling GET, or a WebSocket). State changes happen under the session's monitor; I/O (HTTP replies,
 * WebSocket frames) and listener callbacks happen after it is released, collected as effects.
 */
final class EngineSession implements EngineSocket {
    private static final System.Logger LOG = System.getLogger(EngineSession.class.getName());
    private static final EngineSocketListener NO_LISTENER = new EngineSocketListener() {
        @Override public void onText(String text) { }
        @Override public void onBinary(byte[] data) { }
        @Override public void onClose(CloseReason reason) { }
    };

    private enum State { OPEN, UPGRADING, CLOSED }

    private final String id;
    private final EngineHandshake handshake;
    private final EngineOptions options;
    private final Clock clock;
    private final Scheduler scheduler;
    private final HttpReplies replies;
    private final Consumer<EngineSession> onClosed;
    private final Consumer<EngineSession> onLinger;
    private final ReentrantLock receiveLock = new ReentrantLock();

    private State state = State.OPEN;
    private final ArrayDeque<EnginePacket> buffer = new ArrayDeque<>();
    /** The size of what is in {@link #buffer}, as {@link WebSocketWriter#sizeOf} counts it. */
    private long bufferBytes;
    private int corked;
    private PollExchange pendingPoll;
    private WebSocketWriter websocket;
    private WebSocketWriter probe;
    private Scheduler.Cancellable heartbeatTimer = Scheduler.Cancellable.NONE;
    private Scheduler.Cancellable upgradeTimer = Scheduler.Cancellable.NONE;
    private long pongDeadline;
    /** When the next ping is due (0 while one is outstanding): a late ping timer must not postpone the deadline. */
    private long pingDueAt;
    /**
     * A polling session closed while no GET was held: what the next GET gets instead of "unknown sid" (a noop after
     * the client's own close; the undelivered packets and a close packet after the server's), or null.
     */
    private List<EnginePacket> lateReply;
    private Scheduler.Cancellable lingerTimer = Scheduler.Cancellable.NONE;
    static final long LATE_POLL_GRACE_MILLIS = 1000;
    /**
     * How long a polling session the server closed between two polls keeps its close packet for the next GET. The
     * reference waits up to 30 s (closeTimeout); a live client polls again within milliseconds, so a few seconds do.
     */
    static final long SERVER_CLOSE_GRACE_MILLIS = 5000;
    static final long UPGRADING_POLL_HOLD_MILLIS = 50;
    private Scheduler.Cancellable upgradePollTimer = Scheduler.Cancellable.NONE;
    private volatile EngineSocketListener listener = NO_LISTENER;
    private volatile EngineMetrics metrics;

    EngineSession(String id, EngineHandshake handshake, EngineOptions options, Clock clock, Scheduler scheduler,
                  HttpReplies replies, Consumer<EngineSession> onLinger, Consumer<EngineSession> onClosed) {
        this.id = id;
        this.handshake = handshake;
        this.options = options;
        this.clock = clock;
        this.scheduler = scheduler;
        this.replies = replies;
        this.onClosed = onClosed;
        this.onLinger = onLinger;
        this.metrics = EngineMetrics.NONE;
    }

    /** Where upgrade outcomes are reported. */
    void setMetrics(EngineMetrics metrics) {
        this.metrics = metrics;
    }

    // ---- EngineSocket ----

    @Override public String id() { return id; }

    @Override public EngineHandshake handshake() { return handshake; }

    @Override public synchronized String transportName() {
        return websocket != null ? EngineOptions.WEBSOCKET : EngineOptions.POLLING;
    }

    @Override public synchronized boolean isWritable() {
        return writableLocked();
    }

    /** As the reference: a held GET, or a WebSocket with no write outstanding (so volatile packets never queue). */
    private boolean writableLocked() {
        return state == State.OPEN
                && (websocket != null ? buffer.isEmpty() && websocket.pendingPackets() == 0 : pendingPoll != null);
    }

    /** Packets the client has not taken yet (the session's buffer and the WebSocket's queue and writes). */
    synchronized int sendQueuePackets() {
        return sendQueuePacketsLocked();
    }

    /** Their size, as {@link WebSocketWriter#sizeOf} counts it. */
    synchronized long sendQueueBytes() {
        return sendQueueBytesLocked();
    }

    @Override public synchronized boolean isOpen() { return state != State.CLOSED; }

    synchronized boolean isPollHeld() { return pendingPoll != null; }

    @Override public void setListener(EngineSocketListener l) { this.listener = l == null ? NO_LISTENER : l; }

    @Override public void send(String text) { write(List.of(EnginePacket.message(text)), false); }

    @Override public void send(byte[] binary) { write(List.of(EnginePacket.message(binary)), false); }

    @Override public boolean send(String text, boolean isVolatile) {
        return write(List.of(EnginePacket.message(text)), isVolatile);
    }

    @Override public void sendAll(List<?> messages) {
        sendAll(messages, false);
    }

    @Override public boolean sendAll(List<?> messages, boolean isVolatile) {
        List<EnginePacket> packets = new ArrayList<>(messages.size());
        for (Object m : messages) {
            packets.add(m instanceof byte[] b ? EnginePacket.message(b) : EnginePacket.message((String) m));
        }
        return write(packets, isVolatile);
    }

    @Override public void close() { close(CloseReason.FORCED_CLOSE); }

    @Override public void close(CloseReason reason) {
        Effects fx = new Effects();
        synchronized (this) {
            closeLocked(reason, fx);
        }
        fx.run();
    }

    // ---- lifecycle, called by EngineServer ----

    /** Starts the heartbeat; for a WebSocket-first session, also makes that socket the transport. */
    void open(WebSocketWriter nativeSocket, String openPacket) {
        Effects fx = new Effects();
        synchronized (this) {
            websocket = nativeSocket;
            if (websocket != null) {
                websocket.enqueue(EnginePacket.of(EnginePacketType.OPEN, openPacket));
                fx.add(websocket::drain);
            }
            pingDueAt = clock.nowMillis() + options.pingIntervalMillis();
            heartbeatTimer = scheduler.schedule(this::ping, options.pingIntervalMillis());
        }
        fx.run();
    }

    /** True (and the session closed) when the pong deadline has passed: checked on every request, not only by timer. */
    private boolean expiredLocked(Effects fx) {
        long deadline = pongDeadline != 0 ? pongDeadline
                : pingDueAt != 0 ? pingDueAt + options.pingTimeoutMillis() : 0;
        if (deadline != 0 && clock.nowMillis() >= deadline) {
            closeLocked(CloseReason.PING_TIMEOUT, fx);
            return true;
        }
        return false;
    }

    // ---- polling ----

    void pollGet(PollExchange exchange) {
        Effects fx = new Effects();
        boolean hold = false;
        synchronized (this) {
            if (state == State.CLOSED && answerLatePollLocked(exchange, fx)) {
                LOG.log(System.Logger.Level.DEBUG, "session {0}: answered the GET that raced the close", id);
            } else if (state == State.CLOSED || expiredLocked(fx)) {
                fx.reply(exchange, replies.error(exchange.request(), EngineError.UNKNOWN_SID));
            } else if (websocket != null) {
                fx.reply(exchange, replies.error(exchange.request(), EngineError.BAD_REQUEST));
            } else if (pendingPoll != null) {
                // Two GETs at once is a client bug or an attack; the reference closes the session.
                PollExchange previous = pendingPoll;
                pendingPoll = null;
                fx.reply(previous, payloadReply(previous, List.of(EnginePacket.CLOSE)));
                fx.reply(exchange, replies.error(exchange.request(), EngineError.BAD_REQUEST));
                closeLocked(CloseReason.TRANSPORT_ERROR, fx);
            } else if (state == State.UPGRADING) {
                // Held a moment, as the reference does: if the upgrade packet (sent before this GET, on the other
                // connection) completes the upgrade meanwhile, this GET belongs to a finished transport.
                pendingPoll = exchange;
                upgradePollTimer = scheduler.schedule(() -> answerUpgradingPoll(exchange), UPGRADING_POLL_HOLD_MILLIS);
            } else if (!buffer.isEmpty() && corked == 0) {
                fx.reply(exchange, payloadReply(exchange, drainBufferLocked()));
            } else {
                pendingPoll = exchange;
                hold = true;
            }
        }
        fx.run();
        if (hold) {
            exchange.onAbort(() -> abortPoll(exchange));
        }
    }

    void pollPost(PollExchange exchange) {
        Effects fx = new Effects();
        synchronized (this) {
            if (state == State.CLOSED || expiredLocked(fx)) {
                fx.reply(exchange, replies.error(exchange.request(), EngineError.UNKNOWN_SID));
            } else if (websocket != null) {
                fx.reply(exchange, replies.error(exchange.request(), EngineError.BAD_REQUEST));
            }
        }
        if (!fx.isEmpty()) {
            fx.run();
            return;
        }
        List<EnginePacket> packets;
        try {
            byte[] body = exchange.readBody(options.maxPayload());
            packets = EngineParser.decodePayload(new String(body, StandardCharsets.UTF_8));
        } catch (PollExchange.PayloadTooLargeException e) {
            LOG.log(System.Logger.Level.DEBUG, "session {0}: polling body over {1} bytes", id, options.maxPayload());
            close(CloseReason.TRANSPORT_ERROR);
            // Connection: close, so the rest of an oversized body is never read or buffered.
            exchange.reply(new HttpReply(413, "application/json",
                    EngineError.BAD_REQUEST.json().getBytes(StandardCharsets.UTF_8), Map.of("Connection", "close")));
            return;
        } catch (EngineParseException e) {
            LOG.log(System.Logger.Level.DEBUG, "session {0}: bad polling payload: {1}", id, e.getMessage());
            close(CloseReason.PARSE_ERROR);
            exchange.reply(replies.error(exchange.request(), EngineError.BAD_REQUEST));
            return;
        } catch (java.io.IOException e) {
            close(CloseReason.TRANSPORT_ERROR);
            exchange.reply(replies.error(exchange.request(), EngineError.BAD_REQUEST));
            return;
        }
        // Handle every packet, replies included, before answering: the batch leaves in one response.
        synchronized (this) {
            corked++;
        }
        try {
            receive(packets);
        } finally {
            Effects after = new Effects();
            synchronized (this) {
                corked--;
                flushLocked(after);
            }
            after.run();
        }
        exchange.reply(replies.ok(exchange.request()));
    }

    private void answerUpgradingPoll(PollExchange exchange) {
        Effects fx = new Effects();
        synchronized (this) {
            if (pendingPoll != exchange || state != State.UPGRADING) {
                return;
            }
            pendingPoll = null;
            List<EnginePacket> out = drainBufferLocked();
            out.add(EnginePacket.NOOP);
            fx.reply(exchange, payloadReply(exchange, out));
        }
        fx.run();
    }

    private void abortPoll(PollExchange exchange) {
        Effects fx = new Effects();
        synchronized (this) {
            if (pendingPoll == exchange) {
                pendingPoll = null;
                closeLocked(CloseReason.TRANSPORT_ERROR, fx);
            }
        }
        fx.run();
    }

    // ---- websocket ----

    /** A WebSocket asks to take over this polling session; false if it cannot (the caller closes it). */
    boolean beginUpgrade(WebSocketWriter candidate) {
        synchronized (this) {
            if (state != State.OPEN || websocket != null || probe != null) {
                return false;
            }
            probe = candidate;
            upgradeTimer = scheduler.schedule(() -> abandonUpgrade(candidate), options.upgradeTimeoutMillis());
            return true;
        }
    }

    void onWebSocketText(WebSocketConnection from, String text) {
        EnginePacket packet;
        try {
            packet = EngineParser.decodeText(text);
        } catch (EngineParseException e) {
            LOG.log(System.Logger.Level.DEBUG, "session {0}: bad websocket frame: {1}", id, e.getMessage());
            if (isProbe(from)) {
                abandonUpgradeOf(from);
            } else {
                close(CloseReason.PARSE_ERROR);
            }
            return;
        }
        if (isProbe(from)) {
            onProbePacket(packet);
        } else {
            onActiveWebSocketPackets(from, List.of(packet));
        }
    }

    void onWebSocketBinary(WebSocketConnection from, byte[] data) {
        if (isProbe(from)) {
            abandonUpgradeOf(from);
        } else {
            onActiveWebSocketPackets(from, List.of(EnginePacket.message(data)));
        }
    }

    void onWebSocketClose(WebSocketConnection from, boolean error) {
        if (isProbe(from)) {
            abandonUpgradeOf(from);
            return;
        }
        boolean active;
        synchronized (this) {
            active = websocket != null && websocket.connection() == from;
        }
        if (active) {
            close(error ? CloseReason.TRANSPORT_ERROR : CloseReason.TRANSPORT_CLOSE);
        }
    }

    private void onActiveWebSocketPackets(WebSocketConnection from, List<EnginePacket> packets) {
        Effects fx = new Effects();
        synchronized (this) {
            if (websocket == null || websocket.connection() != from || state == State.CLOSED) {
                return;
            }
            expiredLocked(fx);
        }
        if (!fx.isEmpty()) {
            fx.run();
            return;
        }
        receive(packets);
    }

    private synchronized boolean isProbe(WebSocketConnection c) {
        return probe != null && probe.connection() == c;
    }

    private void onProbePacket(EnginePacket packet) {
        Effects fx = new Effects();
        synchronized (this) {
            if (probe == null || state == State.CLOSED) {
                return;
            }
            if (packet.type() == EnginePacketType.PING && "probe".equals(packet.text())) {
                state = State.UPGRADING;
                probe.enqueue(EnginePacket.of(EnginePacketType.PONG, "probe"));
                fx.add(probe::drain);
                // The client waits for its pending GET to return before it sends the upgrade packet.
                if (pendingPoll != null) {
                    PollExchange p = pendingPoll;
                    pendingPoll = null;
                    List<EnginePacket> out = drainBufferLocked();
                    out.add(EnginePacket.NOOP);
                    fx.reply(p, payloadReply(p, out));
                }
            } else if (packet.type() == EnginePacketType.UPGRADE && state == State.UPGRADING) {
                upgradeTimer.cancel();
                websocket = probe;
                probe = null;
                state = State.OPEN;
                upgradePollTimer.cancel();
                if (pendingPoll != null) {
                    // It arrived after the probe: the client had already moved on to the WebSocket.
                    PollExchange p = pendingPoll;
                    pendingPoll = null;
                    fx.reply(p, replies.error(p.request(), EngineError.BAD_REQUEST));
                }
                flushLocked(fx);
                fx.add(() -> metrics.upgrade(true));
                LOG.log(System.Logger.Level.DEBUG, "session {0}: upgraded to websocket", id);
            } else {
                fx.add(abandonLocked(probe));
            }
        }
        fx.run();
    }

    private void abandonUpgrade(WebSocketWriter candidate) {
        abandonUpgradeOf(candidate.connection());
    }

    private void abandonUpgradeOf(WebSocketConnection c) {
        Runnable closeIt;
        synchronized (this) {
            if (probe == null || probe.connection() != c) {
                return;
            }
            closeIt = abandonLocked(probe);
        }
        closeIt.run();
    }

    private Runnable abandonLocked(WebSocketWriter candidate) {
        upgradeTimer.cancel();
        probe = null;
        if (state == State.UPGRADING) {
            state = State.OPEN;
        }
        EngineMetrics m = metrics;
        return () -> {
            m.upgrade(false);
            candidate.connection().close(1000, "upgrade abandoned");
        };
    }

    // ---- receiving ----

    /** Dispatches packets in order; never two threads at once for one session. */
    private void receive(List<EnginePacket> packets) {
        receiveLock.lock();
        try {
            for (EnginePacket p : packets) {
                if (!isOpen()) {
                    return;
                }
                switch (p.type()) {
                    case PONG -> onPong();
                    case MESSAGE -> deliver(p);
                    case CLOSE -> onClientClose();
                    default -> LOG.log(System.Logger.Level.DEBUG, "session {0}: ignoring {1}", id, p.type());
                }
            }
        } finally {
            receiveLock.unlock();
        }
    }

    private void deliver(EnginePacket p) {
        try {
            if (p.isBinary()) {
                listener.onBinary(p.binary());
            } else {
                listener.onText(p.text());
            }
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "session " + id + ": message listener failed", e);
        }
    }

    private void onClientClose() {
        Effects fx = new Effects();
        synchronized (this) {
            if (pendingPoll != null) {
                // The reference answers the held GET with a noop, not a close, when the client closed.
                PollExchange p = pendingPoll;
                pendingPoll = null;
                fx.reply(p, payloadReply(p, List.of(EnginePacket.NOOP)));
            } else if (websocket == null) {
                // The client's GET and its closing POST race; as the reference does, keep the session long enough
                // to answer that GET with a noop, as if it had been held, instead of an "unknown sid" error.
                lateReply = List.of(EnginePacket.NOOP);
            }
            closeLocked(CloseReason.TRANSPORT_CLOSE, fx);
        }
        fx.run();
    }

    /** Answers the GET that was on its way when the client closed; true if this GET was that one. */
    private boolean answerLatePollLocked(PollExchange exchange, Effects fx) {
        if (lateReply == null) {
            return false;
        }
        List<EnginePacket> reply = lateReply;
        lateReply = null;
        lingerTimer.cancel();
        fx.reply(exchange, payloadReply(exchange, reply));
        fx.add(() -> onClosed.accept(this));
        return true;
    }

    // ---- heartbeat ----

    private void ping() {
        Effects fx = new Effects();
        synchronized (this) {
            if (state == State.CLOSED) {
                return;
            }
            pongDeadline = clock.nowMillis() + options.pingTimeoutMillis();
            pingDueAt = 0;
            heartbeatTimer = scheduler.schedule(this::pongMissed, options.pingTimeoutMillis());
            bufferLocked(EnginePacket.PING);
            flushLocked(fx);
        }
        fx.run();
    }

    private void pongMissed() {
        Effects fx = new Effects();
        synchronized (this) {
            if (state != State.CLOSED && pongDeadline != 0) {
                closeLocked(CloseReason.PING_TIMEOUT, fx);
            }
        }
        fx.run();
    }

    private void onPong() {
        synchronized (this) {
            if (pongDeadline == 0 || state == State.CLOSED) {
                return;
            }
            pongDeadline = 0;
            heartbeatTimer.cancel();
            pingDueAt = clock.nowMillis() + options.pingIntervalMillis();
            heartbeatTimer = scheduler.schedule(this::ping, options.pingIntervalMillis());
        }
    }

    // ---- writing ----

    /**
     * Queues messages unless the client is behind: then a volatile message is dropped, and any other message that
     * would take the send queue over its bound closes the session as a slow consumer. False if not queued.
     */
    private boolean write(List<EnginePacket> packets, boolean isVolatile) {
        Effects fx = new Effects();
        boolean queued = false;
        synchronized (this) {
            if (state == State.CLOSED) {
                return false;
            }
            if (isVolatile && !writableLocked()) {
                int n = packets.size();
                fx.add(() -> metrics.packetsDropped("volatile", n));
            } else if (overBoundLocked(packets)) {
                String transport = websocket != null ? EngineOptions.WEBSOCKET : EngineOptions.POLLING;
                int discarded = packets.size() + sendQueuePacketsLocked();
                LOG.log(System.Logger.Level.DEBUG, "session {0}: send queue over its bound ({1} packets, {2} bytes)"
                        + ", closing a slow consumer", id, sendQueuePacketsLocked(), sendQueueBytesLocked());
                closeLocked(CloseReason.SLOW_CONSUMER, fx);
                fx.add(() -> {
                    metrics.slowConsumer(transport);
                    metrics.packetsDropped("slow_consumer", discarded);
                });
            } else {
                packets.forEach(this::bufferLocked);
                flushLocked(fx);
                queued = true;
            }
        }
        fx.run();
        return queued;
    }

    private boolean overBoundLocked(List<EnginePacket> packets) {
        long bytes = 0;
        for (EnginePacket p : packets) {
            bytes += WebSocketWriter.sizeOf(p);
        }
        return options.sendQueue().exceeded(sendQueuePacketsLocked(), sendQueueBytesLocked(), packets.size(), bytes);
    }

    private int sendQueuePacketsLocked() {
        return buffer.size() + (websocket != null ? websocket.pendingPackets() : 0);
    }

    private long sendQueueBytesLocked() {
        return bufferBytes + (websocket != null ? websocket.pendingBytes() : 0);
    }

    private void bufferLocked(EnginePacket p) {
        buffer.add(p);
        bufferBytes += WebSocketWriter.sizeOf(p);
    }

    private void flushLocked(Effects fx) {
        if (corked > 0 || buffer.isEmpty() || state != State.OPEN) {
            return;
        }
        if (websocket != null) {
            buffer.forEach(websocket::enqueue);
            clearBufferLocked();
            fx.add(websocket::drain);
        } else if (pendingPoll != null) {
            PollExchange p = pendingPoll;
            pendingPoll = null;
            fx.reply(p, payloadReply(p, drainBufferLocked()));
        }
    }

    private List<EnginePacket> drainBufferLocked() {
        List<EnginePacket> out = new ArrayList<>(buffer);
        clearBufferLocked();
        return out;
    }

    private void clearBufferLocked() {
        buffer.clear();
        bufferBytes = 0;
    }

    private HttpReply payloadReply(PollExchange exchange, List<EnginePacket> packets) {
        return replies.payload(exchange.request(), packets);
    }

    // ---- closing ----

    private void closeLocked(CloseReason reason, Effects fx) {
        if (state == State.CLOSED) {
            return;
        }
        state = State.CLOSED;
        heartbeatTimer.cancel();
        upgradeTimer.cancel();
        upgradePollTimer.cancel();
        pongDeadline = 0;
        pingDueAt = 0;
        boolean pollWaiting = pendingPoll != null;
        if (pendingPoll != null) {
            PollExchange p = pendingPoll;
            pendingPoll = null;
            List<EnginePacket> out = drainBufferLocked();
            out.add(EnginePacket.CLOSE);
            fx.reply(p, payloadReply(p, out));
        }
        if (websocket != null && reason == CloseReason.SLOW_CONSUMER) {
            // Its backlog would never be read: close now, without writing it (nor a close packet behind it).
            WebSocketWriter ws = websocket;
            fx.add(() -> ws.abort(1008, reason.text()));
        } else if (websocket != null) {
            WebSocketWriter ws = websocket;
            buffer.forEach(ws::enqueue);
            ws.closeAfterDrain();
            fx.add(() -> {
                ws.drain();
                if (!ws.isClosed()) {
                    // Writes still outstanding: the client gets until a ping timeout to take them.
                    scheduler.schedule(() -> ws.abort(1000, ""), options.pingTimeoutMillis());
                }
            });
        }
        if (probe != null) {
            fx.add(abandonLocked(probe));
        }
        if (websocket == null && !pollWaiting && lateReply == null && reason.byServer()) {
            // Between two polls: as the reference does, the next GET takes what was still to send (a Socket.IO
            // disconnect packet, say) and the close packet, so the client learns that the server closed it.
            List<EnginePacket> out = drainBufferLocked();
            out.add(EnginePacket.CLOSE);
            lateReply = out;
        }
        clearBufferLocked();
        LOG.log(System.Logger.Level.DEBUG, "session {0} closed: {1}", id, reason.text());
        if (lateReply != null) {
            lingerTimer = scheduler.schedule(this::endLinger,
                    reason.byServer() ? SERVER_CLOSE_GRACE_MILLIS : LATE_POLL_GRACE_MILLIS);
            // under the lock, so it is always told before the release (which runs after another thread's late GET)
            onLinger.accept(this);
        } else {
            fx.add(() -> onClosed.accept(this));
        }
        fx.add(() -> notifyClosed(reason));
    }

    private void endLinger() {
        synchronized (this) {
            if (lateReply == null) {
                return;
            }
            lateReply = null;
        }
        onClosed.accept(this);
    }

    private void notifyClosed(CloseReason reason) {
        receiveLock.lock();
        try {
            listener.onClose(reason);
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "session " + id + ": close listener failed", e);
        } finally {
            receiveLock.unlock();
        }
    }

    /** I/O and callbacks decided under the lock, run after it is released, in order. */
    private static final class Effects {
        // most operations have one effect or none: the list is made for a second one only
        private Runnable first;
        private List<Runnable> more;

        void add(Runnable r) {
            if (first == null) {
                first = r;
            } else {
                if (more == null) {
                    more = new ArrayList<>(2);
                }
                more.add(r);
            }
        }

        void reply(PollExchange exchange, HttpReply reply) {
            add(() -> exchange.reply(reply));
        }

        boolean isEmpty() {
            return first == null;
        }

        void run() {
            if (first == null) {
                return;
            }
            runOne(first);
            for (int i = 0; more != null && i < more.size(); i++) {
                runOne(more.get(i));
            }
        }

        private static void runOne(Runnable r) {
            try {
                r.run();
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.DEBUG, "transport write failed: {0}", e.toString());
            }
        }
    }
}
