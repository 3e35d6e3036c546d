package dev.switchboard.engineio.transport;

/**
 * Port for one accepted WebSocket: the container sends frames and closes it; failures close it quietly.
 *
 * <p>Sends do not block: {@code written} runs exactly once, when the frame has left for the network or the send has
 * failed, possibly on another thread or before the send method returns. The engine counts a frame as queued until
 * then, which is how it notices a client that stops reading.
 */
public interface WebSocketConnection {
    void sendText(String text, Runnable written);

    /**
     * Sends a text packet: its type digit, then its body. A broadcast hands the same body instance to every
     * recipient's connection, which lets a port encode and frame it once for all of them.
     */
    default void sendText(char type, String body, Runnable written) {
        sendText(type + body, written);
    }

    void sendBinary(byte[] data, Runnable written);

    /** Closes with a WebSocket close code (1000 normal, 1008 policy, 1009 too big, 1011 error). */
    void close(int code, String reason);
}
