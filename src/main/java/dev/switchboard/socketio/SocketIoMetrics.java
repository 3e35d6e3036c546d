package dev.switchboard.socketio;

/**
 * What the Socket.IO server reports for monitoring. Every method has a no-op default; the container implements it
 * on its metrics registry and sets it with {@link SocketIoServer#setMetrics}. Called on I/O threads: keep it cheap.
 */
public interface SocketIoMetrics {
    SocketIoMetrics NONE = new SocketIoMetrics() { };

    /** A socket joined a namespace (CONNECT accepted). */
    default void connected(String namespace) { }

    /** An EVENT packet arrived from a client. */
    default void messageReceived(String namespace) { }

    /** An EVENT packet was written to one client (direct or as part of a broadcast). */
    default void messageSent(String namespace) { }

    /** One broadcast (emit to rooms or the namespace) was made; it reached this many sockets of this node. */
    default void broadcast(String namespace, int localRecipients) { }

    /** A protocol-level error: "parse_error", "invalid_namespace", "connect_refused", "handler_error". */
    default void error(String code) { }

    /** A server-side emitWithAck timed out. */
    default void ackTimedOut() { }

    /** A socket left its namespace for this reason (the reference server's text, e.g. "transport close"). */
    default void disconnected(String namespace, String reason) { }

    /** An event arrived while the server was draining and was not dispatched. */
    default void droppedWhileDraining() { }
}
