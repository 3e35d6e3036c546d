package dev.switchboard.socketio;

import dev.switchboard.engineio.CloseReason;
import dev.switchboard.engineio.EngineHandshake;
import dev.switchboard.engineio.EngineSocket;
import dev.switchboard.engineio.EngineSocketListener;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** An Engine.IO session that records what the Socket.IO layer sends, and lets a test play the client. */
public final class FakeEngineSocket implements EngineSocket {

    private static int counter;

    private final String id = "engine-" + (++counter);
    private final List<Object> frames = new ArrayList<>();
    private final List<List<?>> batches = new ArrayList<>();
    private EngineSocketListener listener;
    private boolean open = true;
    private boolean writable = true;
    private CloseReason closeReason;

    @Override
    public String id() {
        return id;
    }

    @Override
    public EngineHandshake handshake() {
        return new EngineHandshake(Map.of("EIO", "4", "transport", "websocket"),
                Map.of("origin", List.of("http://example.test")), "127.0.0.1", 0, false,
                "/socket.io/?EIO=4&transport=websocket");
    }

    @Override
    public String transportName() {
        return "websocket";
    }

    @Override
    public boolean isWritable() {
        return writable;
    }

    void writable(boolean value) {
        writable = value;
    }

    @Override
    public boolean isOpen() {
        return open;
    }

    @Override
    public synchronized void send(String text) {
        if (open) {
            frames.add(text);
        }
    }

    @Override
    public synchronized void send(byte[] binary) {
        if (open) {
            frames.add(binary);
        }
    }

    @Override
    public synchronized void sendAll(List<?> messages) {
        if (open) {
            frames.addAll(messages);
            batches.add(List.copyOf(messages));
        }
    }

    @Override
    public void close() {
        close(CloseReason.FORCED_CLOSE);
    }

    /** Like the real engine: closes once and tells the listener, synchronously. */
    @Override
    public void close(CloseReason reason) {
        if (!open) {
            return;
        }
        open = false;
        closeReason = reason;
        if (listener != null) {
            listener.onClose(reason);
        }
    }

    @Override
    public void setListener(EngineSocketListener listener) {
        this.listener = listener;
    }

    // ---- the client side ----

    public void receive(String text) {
        listener.onText(text);
    }

    public void receive(byte[] data) {
        listener.onBinary(data);
    }

    /** The client went away (transport close etc.). */
    public void drop(CloseReason reason) {
        if (open) {
            open = false;
            closeReason = reason;
            listener.onClose(reason);
        }
    }

    public synchronized List<Object> frames() {
        return List.copyOf(frames);
    }

    public synchronized List<String> texts() {
        return frames.stream().filter(String.class::isInstance).map(String.class::cast).toList();
    }

    synchronized List<List<?>> batches() {
        return List.copyOf(batches);
    }

    public synchronized String lastText() {
        List<String> texts = texts();
        return texts.isEmpty() ? null : texts.get(texts.size() - 1);
    }

    public synchronized void clearFrames() {
        frames.clear();
        batches.clear();
    }

    public CloseReason closeReason() {
        return closeReason;
    }
}
