package dev.switchboard.engineio;

import dev.switchboard.engineio.transport.WebSocketConnection;

import java.util.ArrayList;
import java.util.List;

/** Records frames (String for text, byte[] for binary) in order, and the first close. */
public class FakeWebSocketConnection implements WebSocketConnection {
    public final List<Object> frames = new ArrayList<>();
    public Integer closeCode;
    public String closeReason;
    public int closeCalls;
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

    public boolean closed() {
        return closeCode != null;
    }

    public List<String> texts() {
        return frames.stream().filter(String.class::isInstance).map(String.class::cast).toList();
    }
}
