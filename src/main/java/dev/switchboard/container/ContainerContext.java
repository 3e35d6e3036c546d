package dev.switchboard.container;

/**
 * Runs work on the calling thread inside the application's container context (class loader, JNDI names, security):
 * what a servlet or WebSocket callback has, and a thread of Grizzly's own, reading a WebSocket, has not. Without it,
 * an application handler that reaches a container resource (the chat's JPA and transactions) would fail there.
 * Public for Jakarta Concurrency's contextual proxy.
 */
public interface ContainerContext {
    void run(Runnable task);

    /** Runs the task as it is (tests; a container without Jakarta Concurrency). */
    ContainerContext NONE = Runnable::run;
}
