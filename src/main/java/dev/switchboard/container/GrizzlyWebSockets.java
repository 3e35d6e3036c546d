package dev.switchboard.container;

import dev.switchboard.engineio.EngineServer;
import org.glassfish.grizzly.Transport;
import org.glassfish.grizzly.filterchain.FilterChain;
import org.glassfish.grizzly.http.server.HttpServerFilter;

import java.lang.annotation.Annotation;
import java.lang.reflect.Field;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * The WebSocket transport on Payara's HTTP listeners themselves: a {@link GrizzlyUpgradeFilter} in each listener's
 * Grizzly filter chain answers the engine's upgrades and reads and writes frames on the connection.
 *
 * <p>Why: on the Jakarta WebSocket path (Tyrus over the servlet container's HTTP upgrade), every frame crossed
 * Catalina's input and output buffers and Tyrus' reader and writer, and every upgraded connection kept its Catalina
 * request and response alive; a profile put that layering at about a third of the server's CPU per echoed message, and
 * most of the heap per connection. The Jakarta endpoint stays registered: it serves whenever this filter is not
 * there, which is on any server where the application cannot see Payara's Grizzly service (a Payara Server whose
 * OSGi class loading hides it), or with {@code switchboard.websocket.server=jakarta}.
 *
 * <p>The listeners are found through Payara's internal GrizzlyService by reflection (no compile-time dependency on
 * Payara's kernel); the filter is removed again when the application stops.
 */
final class GrizzlyWebSockets implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(GrizzlyWebSockets.class.getName());

    private final List<FilterChain> chains;
    private final List<Transport> transports;
    private final GrizzlyUpgradeFilter filter;

    private GrizzlyWebSockets(List<FilterChain> chains, List<Transport> transports, GrizzlyUpgradeFilter filter) {
        this.chains = chains;
        this.transports = transports;
        this.filter = filter;
    }

    /**
     * Puts the filter into every HTTP listener's chain.
     *
     * @throws ReflectiveOperationException when Payara's Grizzly service is not reachable
     * @throws IllegalStateException when no listener has a Grizzly HTTP server chain
     */
    static GrizzlyWebSockets install(Map<String, EngineServer> routes, ContainerContext context)
            throws ReflectiveOperationException {
        GrizzlyUpgradeFilter filter = new GrizzlyUpgradeFilter(routes, context);
        List<FilterChain> chains = new ArrayList<>();
        List<Transport> transports = new ArrayList<>();
        for (Object listener : listeners()) {
            Object transport = listener.getClass().getMethod("getTransport").invoke(listener);
            if (transport instanceof Transport t && t.getProcessor() instanceof FilterChain chain) {
                synchronized (chain) {
                    int at = position(chain);
                    if (at >= 0) {
                        chain.add(at, filter);
                        chains.add(chain);
                        LOG.log(System.Logger.Level.DEBUG, "filter chain {0}", chain);
                    }
                }
                if (chains.contains(chain) && !(t.getIOStrategy() instanceof WebSocketReadsInline)) {
                    t.setIOStrategy(new WebSocketReadsInline(t.getIOStrategy()));
                    transports.add(t);
                }
            }
        }
        if (chains.isEmpty()) {
            throw new IllegalStateException("no Grizzly HTTP listener found");
        }
        LOG.log(System.Logger.Level.INFO, "WebSocket upgrades of {0} served on Grizzly ({1} listener(s), frames read "
                + "on the selector threads)", routes.keySet(), chains.size());
        return new GrizzlyWebSockets(chains, transports, filter);
    }

    /**
     * Right after the HTTP codec, when the chain has a Grizzly HTTP server: the filters between (HTTP/2, Grizzly's own
     * WebSocket support) would look at every read of an upgraded connection for nothing. -1 for other chains.
     */
    private static int position(FilterChain chain) {
        int server = chain.indexOfType(HttpServerFilter.class);
        if (server < 0) {
            return -1;
        }
        int codec = chain.indexOfType(org.glassfish.grizzly.http.HttpServerFilter.class);
        return codec >= 0 && codec < server ? codec + 1 : server;
    }

    /** Payara's Grizzly listeners: GrizzlyService's network proxies, each one's underlying listener. */
    private static List<Object> listeners() throws ReflectiveOperationException {
        ClassLoader loader = GrizzlyWebSockets.class.getClassLoader();
        Class<?> globals = Class.forName("org.glassfish.internal.api.Globals", true, loader);
        Object locator = globals.getMethod("getDefaultHabitat").invoke(null);
        Class<?> serviceType = Class.forName("com.sun.enterprise.v3.services.impl.GrizzlyService", true, loader);
        Object service = locator.getClass().getMethod("getService", Class.class, Annotation[].class)
                .invoke(locator, serviceType, new Annotation[0]);
        if (service == null) {
            throw new ClassNotFoundException("no GrizzlyService");
        }
        Field proxies = serviceType.getDeclaredField("proxies");
        proxies.setAccessible(true);
        List<Object> out = new ArrayList<>();
        for (Object proxy : List.copyOf((Collection<?>) proxies.get(service))) {
            Object listener = proxy.getClass().getMethod("getUnderlyingListener").invoke(proxy);
            if (listener != null) {
                out.add(listener);
            }
        }
        return out;
    }

    /** Takes the filter out: new upgrades go to the Jakarta endpoint (or nowhere once the application is gone). */
    @Override
    public void close() {
        for (Transport t : transports) {
            if (t.getIOStrategy() instanceof WebSocketReadsInline mine) {
                t.setIOStrategy(mine.listener());
            }
        }
        for (FilterChain chain : chains) {
            synchronized (chain) {
                chain.remove(filter);
            }
        }
    }
}
