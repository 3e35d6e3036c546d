package dev.switchboard.engineio;

/**
 * One Engine.IO session as the layer above sees it: send text or binary messages, close, and receive through the
 * listener set with {@link #setListener}. Sends are thread-safe and keep their order; they are dropped once closed.
 */
public interface EngineSocket {
    String id();

    EngineHandshake handshake();

    /** "polling" or "websocket": the transport in use now. */
    String transportName();

    /** True when a packet sent now would be written at once (no upgrade in progress, a writable transport). */
    boolean isWritable();

    boolean isOpen();

    void send(String text);

    void send(byte[] binary);

    /**
     * Sends several messages as one unit: no other send on this socket comes between them, and over polling they
     * leave in the same response. Elements are String or byte[].
     */
    void sendAll(java.util.List<?> messages);

    /**
     * Sends a message that may be dropped (a volatile emit) when the client is behind, as {@link #isWritable} tells;
     * any other message counts against the session's send-queue bound, over which the session closes as a slow
     * consumer. False when the message was not queued.
     */
    default boolean send(String text, boolean isVolatile) {
        if (!isOpen() || (isVolatile && !isWritable())) {
            return false;
        }
        send(text);
        return true;
    }

    /** {@link #sendAll(java.util.List)}, droppable as a whole when volatile, as {@link #send(String, boolean)}. */
    default boolean sendAll(java.util.List<?> messages, boolean isVolatile) {
        if (!isOpen() || (isVolatile && !isWritable())) {
            return false;
        }
        sendAll(messages);
        return true;
    }

    /** Closes the session from the server side (reason "forced close"); queued packets are flushed first. */
    void close();

    /** Closes with a given reason, e.g. SERVER_SHUTDOWN. */
    void close(CloseReason reason);

    /** Set once, in {@link EngineConnectionHandler#onConnection}; callbacks for one socket never run concurrently. */
    void setListener(EngineSocketListener listener);
}
