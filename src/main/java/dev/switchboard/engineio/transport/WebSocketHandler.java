package dev.switchboard.engineio.transport;

/** What the engine does with the frames and the end of one WebSocket; the container calls it. */
public interface WebSocketHandler {
    void onText(String text);

    void onBinary(byte[] data);

    /** The connection ended (either side), or failed when error is true. */
    void onClose(boolean error);

    /** A handler for a refused WebSocket: it has already been closed and ignores everything. */
    WebSocketHandler CLOSED = new WebSocketHandler() {
        @Override
        public void onText(String text) { }

        @Override
        public void onBinary(byte[] data) { }

        @Override
        public void onClose(boolean error) { }
    };
}
