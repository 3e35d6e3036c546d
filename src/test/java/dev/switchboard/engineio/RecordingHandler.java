package dev.switchboard.engineio;

import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/** Records every new session and gives each a {@link RecordingListener}. */
public final class RecordingHandler implements EngineConnectionHandler {
    public final List<EngineSocket> sockets = new ArrayList<>();
    public final List<RecordingListener> listeners = new ArrayList<>();
    boolean echo;

    @Override
    public synchronized void onConnection(EngineSocket socket) {
        RecordingListener l = new RecordingListener(socket, echo);
        sockets.add(socket);
        listeners.add(l);
        socket.setListener(l);
    }

    public RecordingListener last() {
        return listeners.get(listeners.size() - 1);
    }

    /** Records events as "text:..", "binary:<base64>", "close:REASON"; optionally echoes every message. */
    public static final class RecordingListener implements EngineSocketListener {
        public final EngineSocket socket;
        public final List<String> events = new ArrayList<>();
        public final List<CloseReason> closes = new ArrayList<>();
        boolean echo;
        RuntimeException throwOnText;

        RecordingListener(EngineSocket socket, boolean echo) {
            this.socket = socket;
            this.echo = echo;
        }

        @Override
        public void onText(String text) {
            events.add("text:" + text);
            if (throwOnText != null) {
                throw throwOnText;
            }
            if (echo) {
                socket.send(text);
            }
        }

        @Override
        public void onBinary(byte[] data) {
            events.add("binary:" + Base64.getEncoder().encodeToString(data));
            if (echo) {
                socket.send(data);
            }
        }

        @Override
        public void onClose(CloseReason reason) {
            events.add("close:" + reason);
            closes.add(reason);
        }
    }
}
