package dev.switchboard.container;

import dev.switchboard.engineio.EngineServer;
import dev.switchboard.engineio.Scheduler;
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
import org.glassfish.grizzly.http.util.MimeHeaders;
import org.glassfish.grizzly.utils.IdleTimeoutFilter;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A Grizzly filter that takes the WebSocket upgrades of the engine's paths and then the frames of those connections;
 * every other request goes on to the servlet container as before. A request it does not accept as a valid RFC 6455
 * handshake (wrong method, version or key) also goes on, so the container answers it as it always did.
 *
 * <p>It stands in the place of Grizzly's own WebSocket filter (Payara's {@code websockets-support}, unused by Jakarta
 * WebSocket) and passes everything that is not its own to it. Taking a place rather than adding one matters: Grizzly
 * keeps per-connection state sized to the chain, and a chain that grows while connections are open (clients
 * reconnecting while the application deploys) failed their reads with an ArrayIndexOutOfBoundsException.
 */
final class GrizzlyUpgradeFilter implements Filter {
    private static final String GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";
    private static final Attribute<GrizzlyWebSocket> SOCKET =
            Grizzly.DEFAULT_ATTRIBUTE_BUILDER.createAttribute(GrizzlyUpgradeFilter.class.getName() + ".socket");

    private final Map<String, EngineServer> routes;
    private final ContainerContext context;
    private final Scheduler scheduler;
    private final Filter replaced;

    /**
     * @param routes   full request paths (context path included, with and without the trailing slash) to engines
     * @param replaced the filter whose place this one takes, which gets everything else
     */
    GrizzlyUpgradeFilter(Map<String, EngineServer> routes, ContainerContext context, Scheduler scheduler,
                         Filter replaced) {
        this.routes = Map.copyOf(routes);
        this.context = context;
        this.scheduler = scheduler;
        this.replaced = replaced;
    }

    Filter replaced() {
        return replaced;
    }

    /** True for a connection this filter upgraded. */
    static boolean isWebSocket(Connection<?> connection) {
        return SOCKET.isSet(connection);
    }

    @Override
    public NextAction handleRead(FilterChainContext ctx) throws IOException {
        if (!(ctx.getMessage() instanceof HttpContent content)) {
            return replaced.handleRead(ctx);
        }
        Connection<?> connection = ctx.getConnection();
        GrizzlyWebSocket socket = SOCKET.get(connection);
        if (socket != null) {
            Buffer buffer = content.getContent();
            content.recycle();
            if (buffer.hasRemaining()) {
                ByteBuffer bytes = buffer.toByteBuffer();
                context.run(() -> socket.read(bytes)); // the reader copies what it keeps
            }
            buffer.tryDispose();
            return ctx.getStopAction();
        }
        if (!(content.getHttpHeader() instanceof HttpRequestPacket request)
                || !"websocket".equalsIgnoreCase(request.getUpgrade())) {
            return replaced.handleRead(ctx);
        }
        EngineServer engine = routes.get(request.getRequestURI());
        String accept = engine == null ? null : accept(request);
        if (accept == null) {
            return replaced.handleRead(ctx);
        }
        upgrade(ctx, request, engine, accept);
        return ctx.getStopAction();
    }

    private void upgrade(FilterChainContext ctx, HttpRequestPacket request, EngineServer engine, String accept) {
        Connection<?> connection = ctx.getConnection();
        HttpRequestInfo info = info(request);
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

    /** The engine's view of the handshake, as the Jakarta WebSocket endpoint builds it. */
    private static HttpRequestInfo info(HttpRequestPacket request) {
        Map<String, List<String>> headers = new HashMap<>();
        MimeHeaders mime = request.getHeaders();
        int count = 0;
        for (String name : mime.names()) {
            if (++count > RequestInfos.MAX_HEADERS) {
                break;
            }
            String lower = name.toLowerCase(Locale.ROOT);
            if (!headers.containsKey(lower)) { // names() repeats a name that occurs twice; values() has them all
                List<String> values = new ArrayList<>();
                mime.values(name).forEach(values::add);
                headers.put(lower, values);
            }
        }
        String forwarded = headers.getOrDefault("x-forwarded-for", List.of()).stream().findFirst().orElse("");
        String query = request.getQueryString();
        String url = request.getRequestURI() + (query == null ? "" : "?" + query);
        return new HttpRequestInfo("GET", RequestInfos.parseQuery(query), headers, forwarded, request.isSecure(), url);
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
