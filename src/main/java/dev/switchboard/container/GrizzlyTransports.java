package dev.switchboard.container;

import dev.switchboard.engineio.EngineServer;
import dev.switchboard.engineio.Scheduler;
import org.glassfish.grizzly.Transport;
import org.glassfish.grizzly.filterchain.Filter;
import org.glassfish.grizzly.filterchain.FilterChain;
import org.glassfish.grizzly.http.server.HttpServerFilter;

import java.lang.annotation.Annotation;
import java.lang.reflect.Field;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * The engine's transports on Payara's HTTP listeners themselves: a {@link GrizzlyEngineFilter} in each listener's
 * Grizzly filter chain answers the engine's upgrades and reads and writes frames on the connection, and answers the
 * polling requests.
 *
 * <p>Why: on the Jakarta WebSocket path (Tyrus over the servlet container's HTTP upgrade), every frame crossed
 * Catalina's input and output buffers and Tyrus' reader and writer, and every upgraded connection kept its Catalina
 * request and response alive; a profile put that layering at about a third of the server's CPU per echoed message, and
 * most of the heap per connection. The Jakarta endpoint stays registered: it serves whenever this filter is not
 * there, which is on any server where the application cannot see Payara's Grizzly service (a Payara Server whose
 * OSGi class loading hides it), or with {@code switchboard.websocket.server=jakarta}.
 *
 * <p>Polling, likewise: each request crossed Payara's servlet pipeline (the security valve, the naming context,
 * Catalina's async dispatch for a held GET), some 4x the reference server's CPU per message. The polling servlet stays
 * registered and serves where the filter is not, or with {@code switchboard.polling.server=servlet}.
 *
 * <p>The listeners are found through Payara's internal GrizzlyService by reflection (no compile-time dependency on
 * Payara's kernel); the filter is removed again when the application stops.
 */
final class GrizzlyTransports implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(GrizzlyTransports.class.getName());

    private final List<Installed> installed;

    /** One listener's chain with the filter in it, and its transport when this installation set the I/O strategy. */
    private record Installed(FilterChain chain, GrizzlyEngineFilter filter, Transport transport) {
    }

    private GrizzlyTransports(List<Installed> installed) {
        this.installed = installed;
    }

    /**
     * Puts the filter into every HTTP listener's chain.
     *
     * @throws ReflectiveOperationException when Payara's Grizzly service is not reachable
     * @throws IllegalStateException when no listener has a Grizzly HTTP server chain
     */
    static GrizzlyTransports install(Map<String, EngineServer> routes, ContainerContext context, Scheduler scheduler,
                                     ClientAddresses addresses, boolean webSockets, boolean polling)
            throws ReflectiveOperationException {
        List<Installed> installed = new ArrayList<>();
        for (Object listener : listeners()) {
            Object transport = listener.getClass().getMethod("getTransport").invoke(listener);
            if (transport instanceof Transport t && t.getProcessor() instanceof FilterChain chain) {
                synchronized (chain) {
                    int at = grizzlyWebSocketFilter(chain);
                    if (at >= 0) {
                        Filter replaced = chain.get(at);
                        GrizzlyEngineFilter mine = new GrizzlyEngineFilter(routes, context, scheduler, replaced,
                                addresses, webSockets, polling);
                        chain.set(at, mine);
                        boolean strategy = !(t.getIOStrategy() instanceof EngineReadsInline);
                        if (strategy) {
                            t.setIOStrategy(new EngineReadsInline(t.getIOStrategy()));
                        }
                        installed.add(new Installed(chain, mine, strategy ? t : null));
                        LOG.log(System.Logger.Level.DEBUG, "filter chain {0}", chain);
                    }
                }
            }
        }
        if (installed.isEmpty()) {
            throw new IllegalStateException("no Grizzly HTTP listener with WebSocket support (websockets-support-enabled)");
        }
        LOG.log(System.Logger.Level.INFO, "Engine.IO {0} of {1} served on Grizzly ({2} listener(s){3})",
                webSockets && polling ? "WebSocket upgrades and polling requests"
                        : webSockets ? "WebSocket upgrades" : "polling requests",
                routes.keySet(), installed.size(), webSockets ? "; frames read on the selector threads" : "");
        return new GrizzlyTransports(installed);
    }

    /** Where Grizzly's own WebSocket filter is, in a chain that ends in the HTTP server; -1 if not there. */
    private static int grizzlyWebSocketFilter(FilterChain chain) {
        if (chain.indexOfType(HttpServerFilter.class) < 0) {
            return -1;
        }
        for (int i = 0; i < chain.size(); i++) {
            String name = chain.get(i).getClass().getName();
            if (name.startsWith("org.glassfish.grizzly.") && name.endsWith("WebSocketFilter")) {
                return i;
            }
        }
        return -1;
    }

    /** Payara's Grizzly listeners: GrizzlyService's network proxies, each one's underlying listener. */
    private static List<Object> listeners() throws ReflectiveOperationException {
        ClassLoader loader = GrizzlyTransports.class.getClassLoader();
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
        for (Installed i : installed) {
            if (i.transport() != null && i.transport().getIOStrategy() instanceof EngineReadsInline mine) {
                i.transport().setIOStrategy(mine.listener());
            }
            synchronized (i.chain()) {
                int at = i.chain().indexOf(i.filter());
                if (at >= 0) {
                    i.chain().set(at, i.filter().replaced());
                }
            }
        }
    }
}
