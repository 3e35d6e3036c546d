package dev.switchboard.container;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Proxy;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Runs the graceful drain when the JVM is asked to stop. Payara Micro's own JVM shutdown hook stops the HTTP listener
 * without undeploying the application first (checked on 7.2025.1: no contextDestroyed, held polls cut), and JVM hooks
 * run in parallel: a drain started from a hook races the listener, and clients see a reset instead of "server
 * shutting down". So SIGTERM and SIGINT are taken first: the drain runs to its end while the listener still serves
 * (readiness down, new handshakes 503, every client told, buffers flushed), then the JVM exits with the signal's
 * status and Payara's hook stops the server as before. Further signals during that drain are ignored (Ctrl-C under
 * payara/run.sh delivers SIGINT and then SIGTERM; the drain is bounded by its timeout anyway, and SIGKILL still
 * works). The plain shutdown hook stays for other exits (System.exit, or a JVM where signal handling is
 * unavailable). An ordinary undeploy cancels both.
 */
final class ShutdownHook {
    private static final System.Logger LOG = System.getLogger(ShutdownHook.class.getName());

    private final Thread thread;
    private final Map<Object, Object> previousHandlers = new LinkedHashMap<>(); // sun.misc.Signal -> SignalHandler
    private final AtomicBoolean signalled = new AtomicBoolean();

    ShutdownHook(Runnable drain) {
        this.thread = new Thread(drain, "switchboard-drain-on-exit");
        Runtime.getRuntime().addShutdownHook(thread);
        handle("TERM", 143, drain);
        handle("INT", 130, drain);
    }

    void cancel() {
        try {
            Runtime.getRuntime().removeShutdownHook(thread);
        } catch (IllegalStateException e) {
            // the JVM is already shutting down: this hook is what is running
        }
        if (!signalled.get()) {
            restoreSignals(); // an ordinary undeploy: the JVM lives on, give the signals back
        }
    }

    /** sun.misc.Signal through reflection: jdk.unsupported may be hidden from a web application's class loader. */
    private void handle(String name, int exitStatus, Runnable drain) {
        try {
            Class<?> signalClass = Class.forName("sun.misc.Signal");
            Class<?> handlerClass = Class.forName("sun.misc.SignalHandler");
            Object signal = signalClass.getConstructor(String.class).newInstance(name);
            InvocationHandler onSignal = (proxy, method, args) -> {
                if (method.getName().equals("handle")) {
                    if (!signalled.compareAndSet(false, true)) {
                        LOG.log(System.Logger.Level.INFO, "SIG{0} ignored: already draining", name);
                        return null;
                    }
                    LOG.log(System.Logger.Level.INFO, "SIG{0}: draining before the server stops", name);
                    try {
                        drain.run();
                    } finally {
                        System.exit(exitStatus);
                    }
                    return null;
                }
                return switch (method.getName()) {
                    case "hashCode" -> System.identityHashCode(proxy);
                    case "equals" -> proxy == args[0];
                    default -> "switchboard drain on SIG" + name;
                };
            };
            Object handler = Proxy.newProxyInstance(ShutdownHook.class.getClassLoader(), new Class<?>[] {handlerClass},
                    onSignal);
            Object previous = signalClass.getMethod("handle", signalClass, handlerClass).invoke(null, signal, handler);
            synchronized (previousHandlers) {
                previousHandlers.put(signal, previous);
            }
        } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
            LOG.log(System.Logger.Level.DEBUG, "SIG{0} not handled ({1}); the drain runs from the shutdown hook only",
                    name, e.toString());
        }
    }

    private void restoreSignals() {
        synchronized (previousHandlers) {
            previousHandlers.forEach((signal, previous) -> {
                try {
                    Class<?> signalClass = Class.forName("sun.misc.Signal");
                    Class<?> handlerClass = Class.forName("sun.misc.SignalHandler");
                    signalClass.getMethod("handle", signalClass, handlerClass).invoke(null, signal, previous);
                } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
                    LOG.log(System.Logger.Level.DEBUG, "could not restore {0}: {1}", signal, e.toString());
                }
            });
            previousHandlers.clear();
        }
    }
}
