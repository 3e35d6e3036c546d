package dev.switchboard.container;

import dev.switchboard.engineio.EngineServer;
import dev.switchboard.engineio.Scheduler;
import dev.switchboard.engineio.transport.HttpReply;
import dev.switchboard.engineio.transport.HttpRequestInfo;
import org.glassfish.grizzly.Buffer;
import org.glassfish.grizzly.Connection;
import org.glassfish.grizzly.Grizzly;
import org.glassfish.grizzly.attributes.Attribute;
import org.glassfish.grizzly.filterchain.Filter;
import org.glassfish.grizzly.filterchain.FilterChain;
import org.glassfish.grizzly.filterchain.FilterChainContext;
import org.glassfish.grizzly.filterchain.FilterChainEvent;
import org.glassfish.grizzly.filterchain.NextAction;
import org.glassfish.grizzly.http.HttpContent;
import org.glassfish.grizzly.http.HttpRequestPacket;
import org.glassfish.grizzly.http.HttpResponsePacket;
import org.glassfish.grizzly.http.Protocol;
import org.glassfish.grizzly.http.util.MimeHeaders;
import org.glassfish.grizzly.utils.IdleTimeoutFilter;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A Grizzly filter that serves the engine's paths on Payara's HTTP listener itself, below the servlet container: the
 * WebSocket upgrades and then the frames of those connections, and the polling requests ({@link GrizzlyPollExchange});
 * every other request goes on to the servlet container as before. A request it does not take (an upgrade that is not
 * a valid RFC 6455 handshake, one that asks for {@code Expect: 100-continue}, a transport switched to the container
 * by configuration) also goes on, so the container answers it as it always did.
 *
 * <p>It stands in the place of Grizzly's own WebSocket filter (Payara's {@code websockets-support}, unused by Jakarta
 * WebSocket) and passes everything that is not its own to it. Taking a place rather than adding one matters: Grizzly
 * keeps per-connection state sized to the chain, and a chain that grows while connections are open (clients
 * reconnecting while the application deploys) failed their reads with an ArrayIndexOutOfBoundsException.
 */
final class GrizzlyEngineFilter implements Filter {
    private static final String GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";
    private static final Attribute<GrizzlyWebSocket> SOCKET =
            Grizzly.DEFAULT_ATTRIBUTE_BUILDER.createAttribute(GrizzlyEngineFilter.class.getName() + ".socket");
    /** Set on a keep-alive connection whose last request was a poll this filter took: its reads are inline. */
    private static final Attribute<Boolean> POLLING =
            Grizzly.DEFAULT_ATTRIBUTE_BUILDER.createAttribute(GrizzlyEngineFilter.class.getName() + ".polling");
    /** Set once this filter listens for the connection's close (for a held poll's abort). */
    private static final Attribute<Boolean> CLOSE_WATCHED =
            Grizzly.DEFAULT_ATTRIBUTE_BUILDER.createAttribute(GrizzlyEngineFilter.class.getName() + ".closeWatched");
    /** The polling request of a connection whose body is still arriving, or that the engine holds. */
    private static final Attribute<GrizzlyPollExchange> EXCHANGE =
            Grizzly.DEFAULT_ATTRIBUTE_BUILDER.createAttribute(GrizzlyEngineFilter.class.getName() + ".exchange");

    private static final System.Logger LOG = System.getLogger(GrizzlyEngineFilter.class.getName());

    private final Map<String, EngineServer> routes;
    private final ContainerContext context;
    private final Scheduler scheduler;
    private final Filter replaced;
    private final ClientAddresses addresses;
    private final boolean webSockets;
    private final boolean polling;

    /**
     * @param routes   full request paths (context path included, with and without the trailing slash) to engines
     * @param replaced the filter whose place this one takes, which gets everything else
     * @param webSockets take the WebSocket upgrades
     * @param polling take the polling requests
     */
    GrizzlyEngineFilter(Map<String, EngineServer> routes, ContainerContext context, Scheduler scheduler,
                        Filter replaced, ClientAddresses addresses, boolean webSockets, boolean polling) {
        this.webSockets = webSockets;
        this.polling = polling;
        this.routes = Map.copyOf(routes);
        this.context = context;
        this.scheduler = scheduler;
        this.replaced = replaced;
        this.addresses = addresses;
    }

    Filter replaced() {
        return replaced;
    }

    /** True for a connection whose reads are the engine's: one this filter upgraded, or that last carried a poll. */
    static boolean readsInline(Connection<?> connection) {
        return SOCKET.isSet(connection) || POLLING.isSet(connection);
    }

    /**
     * Passes a read that is not the engine's to the replaced filter and the rest of the chain (the servlet
     * container), on a worker thread: a servlet may block, a selector thread must not.
     */
    private NextAction pass(FilterChainContext ctx) throws IOException {
        if (EngineReadsInline.handlingInline()) {
            POLLING.remove(ctx.getConnection()); // this connection's next reads start on the worker pool again
            NextAction handedOff = EngineReadsInline.handOff(ctx);
            if (handedOff != null) {
                return handedOff;
            }
        }
        return replaced.handleRead(ctx);
    }

    @Override
    public NextAction handleRead(FilterChainContext ctx) throws IOException {
        if (!(ctx.getMessage() instanceof HttpContent content)) {
            return pass(ctx);
        }
        Connection<?> connection = ctx.getConnection();
        GrizzlyWebSocket socket = SOCKET.get(connection);
        if (socket != null) {
            Buffer buffer = content.getContent();
            content.recycle();
            if (buffer.hasRemaining()) {
                ByteBuffer bytes = buffer.toByteBuffer();
                // the reader copies what it keeps; what the read's messages send leaves at its end, one write per peer
                context.run(() -> WriteBatch.around(() -> socket.read(bytes)));
            }
            buffer.tryDispose();
            return ctx.getStopAction();
        }
        GrizzlyPollExchange current = EXCHANGE.get(connection);
        if (current != null && current.awaitsBody() && content.getHttpHeader() == current.packet()) {
            return pollContent(ctx, content, current);
        }
        if (current != null) {
            current.recycled(); // a new request on this connection: the last one is done with
        }
        if (!(content.getHttpHeader() instanceof HttpRequestPacket request)) {
            return pass(ctx);
        }
        EngineServer engine = routes.get(request.getRequestURI());
        if (engine == null) {
            return pass(ctx);
        }
        String upgrade = request.getUpgrade();
        if (upgrade != null && !upgrade.isEmpty()) {
            String accept = webSockets && "websocket".equalsIgnoreCase(upgrade) ? accept(request) : null;
            if (accept == null) {
                return pass(ctx);
            }
            upgrade(ctx, request, engine, accept);
            return ctx.getStopAction();
        }
        if (!polling || request.requiresAcknowledgement() || !http1(request)) {
            // Expect: 100-continue is the servlet container's to answer; so is HTTP/2, where holding a GET by
            // suspending the connection's read would stall every other stream of that connection
            return pass(ctx);
        }
        String requestId = RequestIdFilter.idOf(request.getHeader(RequestIdFilter.HEADER));
        MimeHeaders mime = request.getHeaders();
        String query = request.getQueryString();
        HttpRequestInfo info = RequestInfos.polling(request.getMethod().getMethodString(), mime::names, mime::values,
                query, peerOf(connection), request.isSecure(), url(request, query), addresses);
        GrizzlyPollExchange exchange = new GrizzlyPollExchange(engine, request, info, requestId,
                engine.options().maxPayload());
        EXCHANGE.set(connection, exchange);
        POLLING.set(connection, Boolean.TRUE);
        if (!CLOSE_WATCHED.isSet(connection)) {
            CLOSE_WATCHED.set(connection, Boolean.TRUE);
            connection.addCloseListener((closeable, type) -> {
                GrizzlyPollExchange last = EXCHANGE.get(connection);
                if (last != null) {
                    last.connectionClosed();
                }
            });
        }
        return pollContent(ctx, content, exchange);
    }

    /**
     * A part of a polling request's body (or all of it). The engine gets the request once its body is complete, or
     * at once when the body is over the limit (it answers 413; what is left of the body is then dropped).
     */
    private NextAction pollContent(FilterChainContext ctx, HttpContent content, GrizzlyPollExchange exchange) {
        Buffer buffer = content.getContent();
        boolean ready = exchange.append(buffer, content.isLast());
        content.recycle();
        buffer.tryDispose();
        if (!ready) {
            return ctx.getStopAction();
        }
        exchange.reading(ctx);
        String sid = RequestIdFilter.sidOf(exchange.packet().getQueryString());
        context.run(() -> LogContext.with(() -> WriteBatch.around(() -> handle(exchange)),
                "request_id", exchange.requestId(), "sid", sid));
        // held (a GET waiting for packets): the read context stays suspended until the answer is written
        return exchange.readEnded() ? ctx.getSuspendAction() : ctx.getStopAction();
    }

    private static void handle(GrizzlyPollExchange exchange) {
        try {
            exchange.engine().handlePolling(exchange);
        } catch (RuntimeException e) {
            // never a stack trace to the client: log it, answer a protocol error unless already answered
            LOG.log(System.Logger.Level.WARNING, "polling request failed", e);
            exchange.reply(HttpReply.json(400, "{\"code\":3,\"message\":\"Bad request\"}"));
        }
    }

    private void upgrade(FilterChainContext ctx, HttpRequestPacket request, EngineServer engine, String accept) {
        Connection<?> connection = ctx.getConnection();
        MimeHeaders mime = request.getHeaders();
        String query = request.getQueryString();
        HttpRequestInfo info = RequestInfos.handshake(RequestInfos.headers(mime.names(), mime::values), query,
                peerOf(connection), request.isSecure(), url(request, query), addresses);
        HttpResponsePacket response = request.getResponse();
        response.setStatus(101);
        response.setReasonPhrase("Switching Protocols");
        response.setHeader("Upgrade", "websocket");
        response.setHeader("Connection", "Upgrade");
        response.setHeader("Sec-WebSocket-Accept", accept);
        String requestId = RequestIdFilter.idOf(request.getHeader(RequestIdFilter.HEADER));
        response.setHeader(RequestIdFilter.HEADER, requestId);
        ctx.setMessage(null);
        ctx.write(HttpContent.builder(response).build());
        if (ctx.getFilterChain().indexOfType(IdleTimeoutFilter.class) >= 0) {
            // the engine's heartbeat decides when a peer is gone, not the listener's idle timeout
            IdleTimeoutFilter.setCustomTimeout(connection, IdleTimeoutFilter.FOREVER, TimeUnit.MILLISECONDS);
        }
        GrizzlyWebSocket socket = new GrizzlyWebSocket(connection, scheduler, engine.options().maxPayload(),
                !encrypted(ctx.getFilterChain()));
        SOCKET.set(connection, socket);
        connection.addCloseListener((closeable, type) -> context.run(socket::ended));
        // the handshake's log lines carry the request id and sid, as RequestIdFilter gives servlet requests
        context.run(() -> LogContext.with(() -> socket.handler(engine.handleWebSocket(info, socket)),
                "request_id", requestId, "sid", RequestIdFilter.sidOf(request.getQueryString())));
    }

    private static boolean http1(HttpRequestPacket request) {
        Protocol protocol = request.getProtocol();
        return protocol == Protocol.HTTP_1_1 || protocol == Protocol.HTTP_1_0;
    }

    /** True when a filter of the chain encrypts (TLS): frames must then go through the chain. */
    private static boolean encrypted(FilterChain chain) {
        for (Filter f : chain) {
            if (f instanceof org.glassfish.grizzly.ssl.SSLBaseFilter) { // SSLFilter, SNIFilter
                return true;
            }
        }
        return false;
    }

    /** The Sec-WebSocket-Accept answer, or null when this is not a handshake this filter takes. */
    private static String accept(HttpRequestPacket request) {
        String key = request.getHeader("Sec-WebSocket-Key");
        if (!"GET".equals(request.getMethod().getMethodString()) || !"13".equals(request.getHeader("Sec-WebSocket-Version"))
                || key == null || !validKey(key.trim())) {
            return null;
        }
        try {
            byte[] sha1 = MessageDigest.getInstance("SHA-1").digest((key.trim() + GUID).getBytes(StandardCharsets.US_ASCII));
            return Base64.getEncoder().encodeToString(sha1);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static boolean validKey(String key) {
        try {
            return Base64.getDecoder().decode(key).length == 16;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private static String peerOf(Connection<?> connection) {
        return connection.getPeerAddress() instanceof InetSocketAddress address && address.getAddress() != null
                ? address.getAddress().getHostAddress() : "";
    }

    private static String url(HttpRequestPacket request, String query) {
        return request.getRequestURI() + (query == null ? "" : "?" + query);
    }

    // everything else is the replaced filter's (it has nothing to do with this filter's connections either)

    @Override
    public void onAdded(FilterChain chain) {
        // the replaced filter was told it was removed, and is told it is added when it gets its place back
    }

    @Override
    public void onRemoved(FilterChain chain) {
    }

    @Override
    public void onFilterChainChanged(FilterChain chain) {
        replaced.onFilterChainChanged(chain);
    }

    @Override
    public NextAction handleWrite(FilterChainContext ctx) throws IOException {
        return replaced.handleWrite(ctx);
    }

    @Override
    public NextAction handleConnect(FilterChainContext ctx) throws IOException {
        return replaced.handleConnect(ctx);
    }

    @Override
    public NextAction handleAccept(FilterChainContext ctx) throws IOException {
        return replaced.handleAccept(ctx);
    }

    @Override
    public NextAction handleEvent(FilterChainContext ctx, FilterChainEvent event) throws IOException {
        return replaced.handleEvent(ctx, event);
    }

    @Override
    public NextAction handleClose(FilterChainContext ctx) throws IOException {
        return replaced.handleClose(ctx);
    }

    @Override
    public void exceptionOccurred(FilterChainContext ctx, Throwable error) {
        replaced.exceptionOccurred(ctx, error);
    }

    @Override
    public String toString() {
        return "Switchboard WebSocket upgrade filter " + routes.keySet();
    }
}
