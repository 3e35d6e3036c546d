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
import jakarta.websocket.Session;
import jakarta.websocket.server.HandshakeRequest;
import jakarta.websocket.server.ServerEndpointConfig;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;

/** The WebSocket transport of one Engine.IO endpoint, on Jakarta WebSocket (Tyrus in Payara). */
public final class EngineWebSocketEndpoint extends Endpoint {
    private static final System.Logger LOG = System.getLogger(EngineWebSocketEndpoint.class.getName());
    private static final String HEADERS = "switchboard.handshake.headers";
    private static final String HANDLER = "switchboard.handler";

    private final EngineServer engine;
    private final Scheduler scheduler;
    private final ClassLoader sendLoader;

    EngineWebSocketEndpoint(EngineServer engine, Scheduler scheduler, ClassLoader sendLoader) {
        this.engine = engine;
        this.scheduler = scheduler;
        this.sendLoader = sendLoader;
    }

    /** The endpoint configuration for a path, capturing the handshake headers into the per-session properties. */
    static ServerEndpointConfig config(String path, EngineServer engine, Scheduler scheduler) {
        ClassLoader sendLoader = new QuietServiceClassLoader(Thread.currentThread().getContextClassLoader());
        return ServerEndpointConfig.Builder.create(EngineWebSocketEndpoint.class, path)
                .configurator(new ServerEndpointConfig.Configurator() {
                    @Override
                    public void modifyHandshake(ServerEndpointConfig sec, HandshakeRequest request,
                                                HandshakeResponse response) {
                        sec.getUserProperties().put(HEADERS, RequestInfos.lowerCaseHeaders(request.getHeaders()));
                    }

                    @Override
                    public <T> T getEndpointInstance(Class<T> endpointClass) {
                        return endpointClass.cast(new EngineWebSocketEndpoint(engine, scheduler, sendLoader));
                    }
                }).build();
    }

    @Override
    @SuppressWarnings("unchecked")
    public void onOpen(Session session, EndpointConfig config) {
        Map<String, List<String>> headers =
                (Map<String, List<String>>) session.getUserProperties().getOrDefault(HEADERS, Map.of());
        int max = engine.options().maxPayload();
        session.setMaxTextMessageBufferSize(max);
        session.setMaxBinaryMessageBufferSize(max);
        session.setMaxIdleTimeout(0); // the engine's heartbeat decides when a peer is gone
        String forwarded = headers.getOrDefault("x-forwarded-for", List.of()).stream().findFirst().orElse("");
        HttpRequestInfo info = new HttpRequestInfo("GET", RequestInfos.parseQuery(session.getQueryString()),
                headers, forwarded, session.isSecure(), String.valueOf(session.getRequestURI()));
        SessionConnection connection = new SessionConnection(session, scheduler, sendLoader);
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

    private static WebSocketHandler handler(Session session) {
        Object h = session.getUserProperties().get(HANDLER);
        return h instanceof WebSocketHandler w ? w : WebSocketHandler.CLOSED;
    }

    /**
     * The engine's port onto a Jakarta WebSocket session; writes are serialized by the engine's writer.
     * A close asked for while onOpen is still running is put off until it returns: Tyrus sometimes drops a close
     * made inside onOpen, leaving the client connected to nothing.
     *
     * <p>Sends run with a {@link QuietServiceClassLoader} as context class loader (see there why).
     */
    private static final class SessionConnection implements WebSocketConnection {
        private final Session session;
        private final Scheduler scheduler;
        private final ClassLoader sendLoader;
        private boolean opening = true;
        private Runnable closeAfterOpen;

        SessionConnection(Session session, Scheduler scheduler, ClassLoader sendLoader) {
            this.session = session;
            this.scheduler = scheduler;
            this.sendLoader = sendLoader;
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
        public void sendText(String text) {
            Thread thread = Thread.currentThread();
            ClassLoader loader = thread.getContextClassLoader();
            thread.setContextClassLoader(sendLoader);
            try {
                session.getBasicRemote().sendText(text);
            } catch (IOException | IllegalStateException e) {
                close(1011, "write failed");
            } finally {
                thread.setContextClassLoader(loader);
            }
        }

        @Override
        public void sendBinary(byte[] data) {
            Thread thread = Thread.currentThread();
            ClassLoader loader = thread.getContextClassLoader();
            thread.setContextClassLoader(sendLoader);
            try {
                session.getBasicRemote().sendBinary(ByteBuffer.wrap(data));
            } catch (IOException | IllegalStateException e) {
                close(1011, "write failed");
            } finally {
                thread.setContextClassLoader(loader);
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
}
