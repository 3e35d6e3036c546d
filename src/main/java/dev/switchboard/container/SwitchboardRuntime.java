package dev.switchboard.container;

import dev.switchboard.engineio.Clock;
import dev.switchboard.engineio.EngineConnectionHandler;
import dev.switchboard.engineio.EngineServer;
import dev.switchboard.socketio.SocketIoServer;
import jakarta.annotation.Resource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.enterprise.inject.Produces;
import jakarta.enterprise.concurrent.ManagedThreadFactory;
import jakarta.inject.Inject;
import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletRegistration;
import jakarta.websocket.DeploymentException;
import jakarta.websocket.server.ServerContainer;
import org.eclipse.microprofile.config.ConfigProvider;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Owns the running servers: reads the settings, builds the Socket.IO server on a managed scheduler, lets
 * applications register handlers ({@link SwitchboardStartup}), then mounts each endpoint's polling servlet and
 * WebSocket endpoint. Inject {@link SocketIoServer} to reach the server from application beans.
 */
@ApplicationScoped
public class SwitchboardRuntime {
    private static final System.Logger LOG = System.getLogger(SwitchboardRuntime.class.getName());

    @Resource(lookup = "java:comp/DefaultManagedThreadFactory")
    ManagedThreadFactory threads;

    @Inject
    Event<SwitchboardStartup> startupEvent;

    @Inject
    SwitchboardMetrics metrics;

    private SwitchboardSettings settings;
    private ManagedScheduler scheduler;
    private AdapterSelection adapters;
    private SocketIoServer socketIo;
    private final List<EngineServer> engines = new ArrayList<>();
    private volatile boolean draining;
    private ShutdownHook shutdownHook;
    private AutoCloseable grizzlyTransports;

    @Produces
    public SocketIoServer socketIo() {
        return socketIo;
    }

    /** The adapter in use (Redis connection state for health and metrics), once started. */
    public AdapterSelection adapters() {
        return adapters;
    }

    public SwitchboardSettings settings() {
        return settings;
    }

    public List<EngineServer> engines() {
        return List.copyOf(engines);
    }

    /** True once the servers run and until a drain begins: what readiness reports. */
    public boolean isServing() {
        return socketIo != null && !draining;
    }

    public boolean isDraining() {
        return draining;
    }

    synchronized void start(ServletContext context) {
        if (socketIo != null) {
            return;
        }
        var config = ConfigProvider.getConfig();
        settings = SwitchboardSettings.from(key -> config.getOptionalValue(key, String.class));
        LoggingSetup.apply(key -> config.getOptionalValue(key, String.class));
        scheduler = new ManagedScheduler(threads, settings.schedulerThreads());
        Clock clock = Clock.system();
        adapters = AdapterSelection.create(ClusterSettings.from(key -> config.getOptionalValue(key, String.class)),
                threads, scheduler);
        socketIo = new SocketIoServer(settings.socketIo(), clock, scheduler, adapters.factory());
        socketIo.setMetrics(metrics.observer());
        SwitchboardStartup startup = new SwitchboardStartup(settings, socketIo, scheduler, clock);
        try {
            startupEvent.fire(startup);
        } catch (RuntimeException e) {
            // An application refused to start (a bad config value, say): the deployment fails; leave no threads.
            adapters.close();
            scheduler.close();
            socketIo = null;
            throw e;
        }

        Map<String, EngineConnectionHandler> endpoints = new LinkedHashMap<>();
        endpoints.put(settings.path(), socketIo);
        endpoints.putAll(startup.extraEndpoints());
        metrics.attach(socketIo, engines, () -> draining);
        adapters.bindMetrics(metrics.registry());
        shutdownHook = new ShutdownHook(this::stop);
        ServerContainer ws = (ServerContainer) context.getAttribute(ServerContainer.class.getName());
        EngineWebSocketEndpoint.TyrusIdleTimer.disable(ws);
        Map<String, EngineServer> upgrades = new LinkedHashMap<>();
        for (Map.Entry<String, EngineConnectionHandler> e : endpoints.entrySet()) {
            EngineServer engine = new EngineServer(settings.engine(), clock, scheduler, e.getValue());
            engine.setMetrics(metrics.observer());
            engine.setLimits(settings.limits());
            engines.add(engine);
            mount(context, ws, e.getKey(), engine, scheduler, settings.clientAddresses());
            String base = context.getContextPath() + e.getKey().replaceAll("/+$", "");
            upgrades.put(base, engine);
            upgrades.put(base + "/", engine);
        }
        boolean webSockets = settings.webSocketServer() == SwitchboardSettings.WebSocketServer.GRIZZLY;
        boolean polling = settings.pollingServer() == SwitchboardSettings.PollingServer.GRIZZLY;
        if (webSockets || polling) {
            grizzlyTransports = grizzly(upgrades, webSockets, polling);
        }
        if (!webSockets) {
            LOG.log(System.Logger.Level.INFO, "WebSocket upgrades served by the Jakarta WebSocket endpoint "
                    + "(switchboard.websocket.server=jakarta)");
        }
        if (!polling) {
            LOG.log(System.Logger.Level.INFO, "Polling requests served by the servlet container "
                    + "(switchboard.polling.server=servlet)");
        }
        LOG.log(System.Logger.Level.INFO, "Switchboard started (profile {0}) on {1}; pingInterval={2,number,#} ms, "
                        + "pingTimeout={3,number,#} ms, maxHttpBufferSize={4,number,#}", settings.profile(), endpoints.keySet(),
                settings.engine().pingIntervalMillis(), settings.engine().pingTimeoutMillis(),
                settings.engine().maxPayload());
    }

    synchronized void stop() {
        if (socketIo == null) {
            return;
        }
        shutdownHook.cancel();
        draining = true; // readiness DOWN first
        GracefulDrain.system().run(socketIo, List.copyOf(engines), settings.drainTimeoutMillis());
        if (grizzlyTransports != null) { // after the drain closed its connections
            try {
                grizzlyTransports.close();
            } catch (Exception e) {
                LOG.log(System.Logger.Level.WARNING, "could not remove the Grizzly engine filter: {0}", e.toString());
            }
            grizzlyTransports = null;
        }
        adapters.close(); // after the namespaces closed their adapters: the subscriber thread ends here
        scheduler.close();
        LoggingSetup.remove();
        socketIo = null;
    }

    /**
     * The transports on Grizzly, or null: the Jakarta WebSocket endpoint and the polling servlet then serve (they
     * are registered in any case).
     */
    private AutoCloseable grizzly(Map<String, EngineServer> routes, boolean webSockets, boolean polling) {
        try {
            return GrizzlyTransports.install(routes,
                    ContainerContext.classLoader(Thread.currentThread().getContextClassLoader()), scheduler,
                    settings.clientAddresses(), webSockets, polling);
        } catch (LinkageError | ReflectiveOperationException | RuntimeException e) {
            LOG.log(System.Logger.Level.INFO, "WebSocket upgrades served by the Jakarta WebSocket endpoint and polling "
                    + "requests by the servlet container ({0})", e.toString());
            return null;
        }
    }

    private static void mount(ServletContext context, ServerContainer ws, String path, EngineServer engine,
                              ManagedScheduler scheduler, ClientAddresses addresses) {
        String base = path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
        ServletRegistration.Dynamic servlet = context.addServlet("engineio" + base.replace('/', '-'),
                new PollingServlet(engine, addresses));
        servlet.setAsyncSupported(true);
        servlet.addMapping(base + "/*");
        // Tyrus matches paths exactly: register the path with and without its trailing slash.
        for (String p : List.of(base + "/", base)) {
            try {
                ws.addEndpoint(EngineWebSocketEndpoint.config(p, engine, scheduler, addresses));
            } catch (DeploymentException | RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, "could not register websocket endpoint {0}: {1}", p, e.toString());
            }
        }
    }
}
