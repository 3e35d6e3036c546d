package dev.switchboard.container;

/**
 * What a thread of Grizzly's own, reading a WebSocket, runs the engine's work in: the application's class loader
 * (MicroProfile Config, service loaders and Jackson find the application's classes through it), nothing more.
 *
 * <p>Not the full container context (JNDI names, security, transactions) that Jakarta Concurrency's contextual proxy
 * would give: set up and torn down around every read, that proxy took 14% of the server's CPU in a WebSocket echo
 * profile, and handlers on this thread must not block anyway. Work that needs container resources runs on a managed
 * executor, as the chat's does ({@code SocketWork}); resources are injected or looked up at start-up.
 */
@FunctionalInterface
interface ContainerContext {
    void run(Runnable task);

    /** Runs each task with this class loader as the thread's context class loader, restoring the previous one. */
    static ContainerContext classLoader(ClassLoader loader) {
        return task -> {
            Thread thread = Thread.currentThread();
            ClassLoader previous = thread.getContextClassLoader();
            if (previous == loader) {
                task.run();
                return;
            }
            thread.setContextClassLoader(loader);
            try {
                task.run();
            } finally {
                thread.setContextClassLoader(previous);
            }
        };
    }
}
