package dev.switchboard.engineio.transport;

/** Port for one accepted WebSocket: the container sends frames and closes it; failures close it quietly. */
public interface WebSocketConnection {
    void sendText(String text);

    void sendBinary(byte[] data);

    /** Closes with a WebSocket close code (1000 normal, 1008 policy, 1009 too big, 1011 error). */
    void close(int code, String reason);
}
