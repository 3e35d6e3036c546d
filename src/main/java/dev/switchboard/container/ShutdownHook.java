package dev.switchboard.container;

/**
 * Runs the graceful drain when the JVM is asked to stop (SIGTERM, Ctrl-C). Payara Micro's own shutdown hook stops
 * the server without undeploying the application first (checked on 7.2025.1: no contextDestroyed, held polls cut),
 * so the drain starts here, in parallel with it: best effort, the sooner the better. An ordinary undeploy cancels it.
 */
final class ShutdownHook {
    private final Thread thread;

    ShutdownHook(Runnable drain) {
        this.thread = new Thread(drain, "switchboard-drain-on-exit");
        Runtime.getRuntime().addShutdownHook(thread);
    }

    void cancel() {
        try {
            Runtime.getRuntime().removeShutdownHook(thread);
        } catch (IllegalStateException e) {
            // the JVM is already shutting down: this hook is what is running
        }
    }
}
