package dev.switchboard.engineio.transport;

import dev.switchboard.engineio.parser.EnginePacket;
import dev.switchboard.engineio.parser.EngineParser;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes packets to one WebSocket in the order they were queued, from whichever thread queued them, without holding
 * the session's lock while a frame is written: one caller drains at a time, the others only enqueue.
 */
public final class WebSocketWriter {
    private final WebSocketConnection connection;
    private final ArrayDeque<EnginePacket> queue = new ArrayDeque<>();
    private boolean draining;
    private boolean closeWhenDrained;
    private boolean closed;

    public WebSocketWriter(WebSocketConnection connection) {
        this.connection = connection;
    }

    public WebSocketConnection connection() {
        return connection;
    }

    public synchronized void enqueue(EnginePacket packet) {
        if (!closeWhenDrained) {
            queue.add(packet);
        }
    }

    /** Closes the connection once everything queued so far is written; later packets are dropped. */
    public synchronized void closeAfterDrain() {
        closeWhenDrained = true;
    }

    public synchronized int queued() {
        return queue.size();
    }

    /** Writes whatever is queued, unless another thread is already doing it. */
    public void drain() {
        synchronized (this) {
            if (draining || closed) {
                return;
            }
            draining = true;
        }
        try {
            while (true) {
                List<EnginePacket> batch;
                synchronized (this) {
                    if (queue.isEmpty()) {
                        draining = false;
                        if (closeWhenDrained && !closed) {
                            closed = true;
                            break;
                        }
                        return;
                    }
                    batch = new ArrayList<>(queue);
                    queue.clear();
                }
                for (EnginePacket p : batch) {
                    if (p.isBinary()) {
                        connection.sendBinary(p.binary());
                    } else {
                        connection.sendText(EngineParser.encodeText(p));
                    }
                }
            }
        } catch (RuntimeException e) {
            synchronized (this) {
                draining = false;
            }
            throw e;
        }
        connection.close(1000, "");
    }
}
