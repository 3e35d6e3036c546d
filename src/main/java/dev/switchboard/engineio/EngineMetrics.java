package dev.switchboard.engineio;

/**
 * What the Engine.IO server reports for monitoring. Every method has a no-op default; the container implements it
 * on its metrics registry and sets it with {@link EngineServer#setMetrics}. Called on request threads: keep it cheap.
 */
public interface EngineMetrics {
    EngineMetrics NONE = new EngineMetrics() { };

    /** A session was opened over this transport ("polling" or "websocket"). */
    default void sessionOpened(String transport) { }

    /** A handshake was refused: "shutting_down", "max_connections" or "rate_limited". */
    default void handshakeRefused(String reason) { }

    /** A polling session moved to WebSocket (true) or the probe was abandoned (false). */
    default void upgrade(boolean succeeded) { }

    /** Outbound packets dropped: "volatile" (the client was behind) or "slow_consumer" (discarded at its close). */
    default void packetsDropped(String reason, int count) { }

    /** A session was closed because its send queue went over the bound, on this transport. */
    default void slowConsumer(String transport) { }
}
