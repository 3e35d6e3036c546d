package dev.switchboard.container;

import dev.switchboard.engineio.EngineServer;
import dev.switchboard.engineio.Scheduler;
import dev.switchboard.engineio.transport.HttpRequestInfo;
import dev.switchboard.engineio.transport.WebSocketConnection;
import dev.switchboard.engineio.transport.WebSocketHandler;
import jakarta.websocket.CloseReason;
import jakarta.websocket.Endpoint;
import jakarta.websocket.EndpointConfig;
import jakarta.websocket.HandshakeResponse;
import jakarta.websocket.MessageHandler;
import jakarta.websocket.SendResult;
import jakarta.websocket.Session;
import jakarta.websocket.WebSocketContainer;
import jakarta.websocket.server.HandshakeRequest;
import jakarta.websocket.server.ServerEndpointConfig;

import java.io.IOException;
import java.lang.reflect.Field;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.AbstractExecutorService;
import java.util.concurrent.Callable;
import java.util.concurrent.Delayed;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/** The WebSocket transport of one Engine.IO endpoint, on Jakarta WebSocket (Tyrus in Payara). */
public final class EngineWebSocketEndpoint extends Endpoint {
    private static final System.Logger LOG = System.getLogger(EngineWebSocketEndpoint.class.getName());
    private static final String HANDLER = "switchboard.handler";
    private static volatile boolean frameWriterMissing;

    private final EngineServer engine;
    private final Scheduler scheduler;
    private final ClassLoader sendLoader;
    private final ClientAddresses addresses;

    EngineWebSocketEndpoint(EngineServer engine, Scheduler scheduler, ClassLoader sendLoader,
                            ClientAddresses addresses) {
        this.addresses = addresses;
        this.engine = engine;
        this.scheduler = scheduler;
        this.sendLoader = sendLoader;
    }

    /** The endpoint configuration for a path, capturing the handshake headers into the per-session properties. */
    static ServerEndpointConfig config(String path, EngineServer engine, Scheduler scheduler,
                                       ClientAddresses addresses) {
        ClassLoader sendLoader = new QuietServiceClassLoader(Thread.currentThread().getContextClassLoader());
        return ServerEndpointConfig.Builder.create(EngineWebSocketEndpoint.class, path)
                .configurator(new ServerEndpointConfig.Configurator() {
                    @Override
                    public void modifyHandshake(ServerEndpointConfig sec, HandshakeRequest request,
                                                HandshakeResponse response) {
                        HandshakeHeaders.capture(sec.getUserProperties(),
                                RequestInfos.lowerCaseHeaders(request.getHeaders()));
                    }

                    @Override
                    public <T> T getEndpointInstance(Class<T> endpointClass) {
                        return endpointClass.cast(new EngineWebSocketEndpoint(engine, scheduler, sendLoader, addresses));
                    }
                }).build();
    }

    @Override
    public void onOpen(Session session, EndpointConfig config) {
        Map<String, List<String>> headers = HandshakeHeaders.take(session.getUserProperties());
        int max = engine.options().maxPayload();
        session.setMaxTextMessageBufferSize(max);
        session.setMaxBinaryMessageBufferSize(max);
        session.setMaxIdleTimeout(0); // the engine's heartbeat decides when a peer is gone
        TyrusIdleTimer.disable(session);
        HttpRequestInfo info = RequestInfos.handshake(headers, session.getQueryString(), peerOf(session),
                session.isSecure(), String.valueOf(session.getRequestURI()), addresses);
        SessionConnection connection = new SessionConnection(session, scheduler, sendLoader, frameWriter(session));
        WebSocketHandler handler = engine.handleWebSocket(info, connection);
        connection.opened();
        session.getUserProperties().put(HANDLER, handler);
        session.addMessageHandler(String.class, (MessageHandler.Whole<String>) handler::onText);
        session.addMessageHandler(ByteBuffer.class, (MessageHandler.Whole<ByteBuffer>) buffer -> {
            byte[] data = new byte[buffer.remaining()];
            buffer.get(data);
            handler.onBinary(data);
        });
    }

    @Override
    public void onClose(Session session, CloseReason closeReason) {
        handler(session).onClose(closeReason.getCloseCode().getCode() == CloseReason.CloseCodes.TOO_BIG.getCode());
    }

    @Override
    public void onError(Session session, Throwable error) {
        LOG.log(System.Logger.Level.DEBUG, "websocket error: {0}", error.toString());
        handler(session).onClose(true);
    }

    /**
     * The peer's address: Tyrus' session has it (not the Jakarta API); "" elsewhere, and then the handshake rate
     * limit does not apply to this transport.
     */
    private static String peerOf(Session session) {
        try {
            return session.getClass().getMethod("getRemoteAddr").invoke(session) instanceof String peer ? peer : "";
        } catch (ReflectiveOperationException | RuntimeException e) {
            return "";
        }
    }

    /** Tyrus' frame writer for the session, or null (see {@link TyrusFrameWriter}). */
    private static TyrusFrameWriter frameWriter(Session session) {
        try {
            return TyrusFrameWriter.of(session);
        } catch (LinkageError e) { // Tyrus' SPI not visible to the application: the standard API only
            if (!frameWriterMissing) {
                frameWriterMissing = true;
                LOG.log(System.Logger.Level.INFO, "WebSocket text frames go through sendText ({0})", e.toString());
            }
            return null;
        }
    }

    private static WebSocketHandler handler(Session session) {
        Object h = session.getUserProperties().get(HANDLER);
        return h instanceof WebSocketHandler w ? w : WebSocketHandler.CLOSED;
    }

    /**
     * The engine's port onto a Jakarta WebSocket session; writes are serialized by the engine's writer and never
     * block (a client that stops reading must not stall a broadcast to everyone else: the engine bounds its queue).
     * A close asked for while onOpen is still running is put off until it returns: Tyrus sometimes drops a close
     * made inside onOpen, leaving the client connected to nothing.
     *
     * <p>Sends run with a {@link QuietServiceClassLoader} as context class loader (see there why).
     */
    private static final class SessionConnection implements WebSocketConnection {
        private final Session session;
        private final Scheduler scheduler;
        private final ClassLoader sendLoader;
        private final TyrusFrameWriter frames;
        private boolean opening = true;
        private Runnable closeAfterOpen;

        SessionConnection(Session session, Scheduler scheduler, ClassLoader sendLoader, TyrusFrameWriter frames) {
            this.session = session;
            this.scheduler = scheduler;
            this.sendLoader = sendLoader;
            this.frames = frames;
        }

        void opened() {
            Runnable pending;
            synchronized (this) {
                opening = false;
                pending = closeAfterOpen;
            }
            if (pending != null) {
                scheduler.schedule(pending, 25);
            }
        }

        @Override
        public void sendText(String text, Runnable written) {
            send(written, () -> session.getAsyncRemote().sendText(text, result -> onResult(result, written)));
        }

        /** A broadcast's frame is built once and written to each recipient as is (see {@link TextFrames}). */
        @Override
        public void sendText(char type, String body, Runnable written) {
            if (frames == null) {
                sendText(type + body, written);
            } else {
                send(written, () -> frames.write(TextFrames.frame(type, body), failure -> completed(failure, written)));
            }
        }

        @Override
        public void sendBinary(byte[] data, Runnable written) {
            send(written, () -> session.getAsyncRemote().sendBinary(ByteBuffer.wrap(data),
                    result -> onResult(result, written)));
        }

        /** Runs a send with the quiet class loader; a session already closed counts as a failed write. */
        private void send(Runnable written, Runnable send) {
            Thread thread = Thread.currentThread();
            ClassLoader loader = thread.getContextClassLoader();
            thread.setContextClassLoader(sendLoader);
            try {
                send.run();
            } catch (IllegalStateException e) {
                completed(e, written);
            } finally {
                thread.setContextClassLoader(loader);
            }
        }

        /**
         * Tyrus completes a send when the frame has gone to the network, on the sending thread if it went at once,
         * else on the container's thread once the client reads again; never a thread hop of our own.
         */
        private void onResult(SendResult result, Runnable written) {
            completed(result.isOK() ? null : failureOf(result), written);
        }

        private static Throwable failureOf(SendResult result) {
            return result.getException() != null ? result.getException() : new IllegalStateException("send failed");
        }

        private void completed(Throwable failure, Runnable written) {
            written.run();
            if (failure != null) {
                LOG.log(System.Logger.Level.DEBUG, "websocket write failed: {0}", failure.toString());
                close(1011, "write failed");
            }
        }

        @Override
        public void close(int code, String reason) {
            synchronized (this) {
                if (opening) {
                    closeAfterOpen = () -> doClose(code, reason);
                    return;
                }
            }
            doClose(code, reason);
        }

        private void doClose(int code, String reason) {
            try {
                if (session.isOpen()) {
                    String phrase = reason.length() > 100 ? reason.substring(0, 100) : reason;
                    session.close(new CloseReason(CloseReason.CloseCodes.getCloseCode(code), phrase));
                }
            } catch (IOException | IllegalStateException e) {
                LOG.log(System.Logger.Level.DEBUG, "websocket close failed: {0}", e.toString());
            }
        }
    }

    /**
     * Stops Tyrus from scheduling an idle-timeout task for every WebSocket upgrade and frame.
     *
     * <p>Tyrus 2.2 ({@code TyrusSession.restartIdleTimeoutExecutor}) cancels and re-schedules its idle-timeout command on
     * the container's managed scheduled executor on every frame sent or received, even with the idle timeout off (0: the
     * command then does nothing when it runs). On Payara each schedule captures a Jakarta Concurrency context, and a
     * fan-out profile put that per-frame work at a quarter of the server's CPU. Switchboard turns the idle timeout off
     * (the Engine.IO heartbeat detects dead peers), so the session's scheduler is replaced with one that accepts and
     * discards tasks. Tyrus uses that scheduler only for the idle timeout and its own heartbeat, which Switchboard never
     * enables. If the field is not there (another Tyrus), nothing changes but the cost.
     */
    static final class TyrusIdleTimer {
        private static final System.Logger LOG = System.getLogger(TyrusIdleTimer.class.getName());
        private static volatile boolean warned;
        /**
         * The session class's scheduler field, looked up and made accessible once per class: with a lookup per
         * upgrade, a jstack during a 10,000-client connect burst found most worker threads in that lookup.
         */
        private static final ClassValue<Optional<Field>> SESSION_FIELD = new ClassValue<>() {
            @Override
            protected Optional<Field> computeValue(Class<?> type) {
                try {
                    Field f = field(type, "service");
                    if (f != null) {
                        f.setAccessible(true);
                    }
                    return Optional.ofNullable(f);
                } catch (RuntimeException e) {
                    report(e.toString());
                    return Optional.empty();
                }
            }
        };

        private TyrusIdleTimer() {
        }

        /**
         * Gives the container the discarding scheduler too, before any session exists: each {@code TyrusSession}
         * takes the container's scheduler and arms its idle timer in its constructor, before onOpen can replace it.
         * With Payara's managed scheduler that arming captured a Jakarta Concurrency context, a scan of every jar of
         * the WAR and the server for context providers, once per upgrade; under a burst of 10,000 connects that scan
         * and its class-loader locks held the upgrades to about 20 per second. Tyrus uses this scheduler only for
         * session idle timeouts and heartbeats (no endpoint of this WAR uses either); other executors are untouched.
         */
        static void disable(WebSocketContainer container) {
            install(container, "managedScheduledExecutorService");
        }

        /** Sets the named scheduler field of the target (its class or a superclass) to discard; false if none. */
        static boolean install(Object target, String fieldName) {
            try {
                Field field = field(target.getClass(), fieldName);
                if (field != null) {
                    field.setAccessible(true);
                    field.set(target, Discard.INSTANCE);
                    return true;
                }
            } catch (ReflectiveOperationException | RuntimeException e) {
                report(e.toString());
                return false;
            }
            report("no scheduler field in " + target.getClass().getName());
            return false;
        }

        /** Call after {@code session.setMaxIdleTimeout(0)}. */
        static void disable(Session session) {
            try {
                Field field = SESSION_FIELD.get(session.getClass()).orElse(null);
                if (field != null) {
                    field.set(session, Discard.INSTANCE);
                    return;
                }
            } catch (ReflectiveOperationException | RuntimeException e) {
                report(e.toString());
                return;
            }
            report("no scheduler field in " + session.getClass().getName());
        }

        private static Field field(Class<?> type, String name) {
            for (Class<?> c = type; c != null; c = c.getSuperclass()) {
                try {
                    Field f = c.getDeclaredField(name);
                    return ScheduledExecutorService.class.isAssignableFrom(f.getType()) ? f : null;
                } catch (NoSuchFieldException e) {
                    // look further up
                }
            }
            return null;
        }

        private static void report(String why) {
            if (!warned) {
                warned = true;
                LOG.log(System.Logger.Level.INFO, "Tyrus idle timer left as is ({0}): a no-op task per upgrade and frame",
                        why);
            }
        }

        /** Accepts scheduled tasks and never runs them; runs plain executions inline (Tyrus makes none). */
        private static final class Discard extends AbstractExecutorService implements ScheduledExecutorService {
            static final Discard INSTANCE = new Discard();

            @Override public ScheduledFuture<?> schedule(Runnable command, long delay, TimeUnit unit) {
                return Never.INSTANCE;
            }

            @Override public <V> ScheduledFuture<V> schedule(Callable<V> callable, long delay, TimeUnit unit) {
                return Never.cast();
            }

            @Override public ScheduledFuture<?> scheduleAtFixedRate(Runnable command, long initialDelay, long period,
                                                                    TimeUnit unit) {
                return Never.INSTANCE;
            }

            @Override public ScheduledFuture<?> scheduleWithFixedDelay(Runnable command, long initialDelay, long delay,
                                                                       TimeUnit unit) {
                return Never.INSTANCE;
            }

            @Override public void execute(Runnable command) {
                command.run();
            }

            @Override public void shutdown() { }

            @Override public List<Runnable> shutdownNow() {
                return List.of();
            }

            @Override public boolean isShutdown() {
                return false;
            }

            @Override public boolean isTerminated() {
                return false;
            }

            @Override public boolean awaitTermination(long timeout, TimeUnit unit) {
                return false;
            }
        }

        /** A task that will never run: already cancelled. */
        private static final class Never implements ScheduledFuture<Object> {
            static final Never INSTANCE = new Never();

            @SuppressWarnings("unchecked")
            static <V> ScheduledFuture<V> cast() {
                return (ScheduledFuture<V>) (ScheduledFuture<?>) INSTANCE;
            }

            @Override public long getDelay(TimeUnit unit) {
                return 0;
            }

            @Override public int compareTo(Delayed o) {
                return Long.compare(0, o.getDelay(TimeUnit.MILLISECONDS));
            }

            @Override public boolean cancel(boolean mayInterruptIfRunning) {
                return false;
            }

            @Override public boolean isCancelled() {
                return true;
            }

            @Override public boolean isDone() {
                return true;
            }

            @Override public Object get() {
                throw new java.util.concurrent.CancellationException();
            }

            @Override public Object get(long timeout, TimeUnit unit) {
                throw new java.util.concurrent.CancellationException();
            }
        }
    }
}
