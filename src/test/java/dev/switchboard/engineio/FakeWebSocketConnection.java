package dev.switchboard.engineio;

import dev.switchboard.engineio.transport.WebSocketConnection;

import java.util.ArrayList;
import java.util.List;

/** Records frames (String for text, byte[] for binary) in order, and the first close. */
class FakeWebSocketConnection implements WebSocketConnection {
    final List<Object> frames = new ArrayList<>();
    Integer closeCode;
    String closeReason;
    int closeCalls;
    int framesAfterClose;

    @Override
    public synchronized void sendText(String text) {
        if (closeCode != null) {
            framesAfterClose++;
        }
        frames.add(text);
    }

    @Override
    public synchronized void sendBinary(byte[] data) {
        if (closeCode != null) {
            framesAfterClose++;
        }
        frames.add(data.clone());
    }

    @Override
    public synchronized void close(int code, String reason) {
        closeCalls++;
        if (closeCode == null) {
            closeCode = code;
            closeReason = reason;
        }
    }

    boolean closed() {
        return closeCode != null;
    }

    List<String> texts() {
        return frames.stream().filter(String.class::isInstance).map(String.class::cast).toList();
    }
}
