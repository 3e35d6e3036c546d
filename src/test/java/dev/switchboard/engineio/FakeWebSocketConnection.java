package dev.switchboard.engineio;

import dev.switchboard.engineio.transport.WebSocketConnection;

import java.util.ArrayList;
import java.util.List;

/**
 * Records frames (String for text, byte[] for binary) in order, and the first close. Writes complete at once unless
 * {@link #stalled}: then their completions wait in {@link #unwritten} (a client that does not read).
 */
public class FakeWebSocketConnection implements WebSocketConnection {
    public final List<Object> frames = new ArrayList<>();
    public final List<Runnable> unwritten = new ArrayList<>();
    public boolean stalled;
    public Integer closeCode;
    public String closeReason;
    public int closeCalls;
    int framesAfterClose;

    @Override
    public void sendText(String text, Runnable written) {
        synchronized (this) {
            if (closeCode != null) {
                framesAfterClose++;
            }
            frames.add(text);
        }
        complete(written);
    }

    private void complete(Runnable written) {
        synchronized (this) {
            if (stalled) {
                unwritten.add(written);
                return;
            }
        }
        written.run();
    }

    /** The client reads again: every held write completes. */
    public void resume() {
        List<Runnable> held;
        synchronized (this) {
            stalled = false;
            held = List.copyOf(unwritten);
            unwritten.clear();
        }
        held.forEach(Runnable::run);
    }

    @Override
    public void sendBinary(byte[] data, Runnable written) {
        synchronized (this) {
            if (closeCode != null) {
                framesAfterClose++;
            }
            frames.add(data.clone());
        }
        complete(written);
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
