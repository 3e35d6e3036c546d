package dev.switchboard.engineio.transport;

import dev.switchboard.engineio.parser.EnginePacket;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes packets to one WebSocket in the order they were queued, from whichever thread queued them, without holding
 * the session's lock while a frame is written: one caller drains at a time, the others only enqueue.
 *
 * <p>It also counts what the client has not taken yet: packets queued here plus frames handed to the container whose
 * write has not completed. That is the WebSocket's part of the session's send queue.
 */
public final class WebSocketWriter {
    private final WebSocketConnection connection;
    private final ArrayDeque<EnginePacket> queue = new ArrayDeque<>();
    private boolean draining;
    private boolean closeWhenDrained;
    private boolean closed;
    // written under this writer's lock; read without it: every delivery to the session checks its send-queue bound,
    // and a value a write's completion is about to lower only errs on the safe side
    private volatile int pendingPackets;
    private volatile long pendingBytes;

    public WebSocketWriter(WebSocketConnection connection) {
        this.connection = connection;
    }

    public WebSocketConnection connection() {
        return connection;
    }

    public synchronized void enqueue(EnginePacket packet) {
        if (!closeWhenDrained && !closed) {
            queue.add(packet);
            pendingPackets++;
            pendingBytes += sizeOf(packet);
        }
    }

    /**
     * Closes the connection once everything queued so far is written, and the container has completed those writes
     * (a close right after a handed-over frame could cut it off); later packets are dropped.
     */
    public synchronized void closeAfterDrain() {
        closeWhenDrained = true;
    }

    /** Packets queued here and not yet handed to the container. */
    public synchronized int queued() {
        return queue.size();
    }

    /** Packets the client has not taken yet: queued, or handed to the container and not yet written. */
    public int pendingPackets() {
        return pendingPackets;
    }

    /** The size of those packets: characters of text, bytes of binary. */
    public long pendingBytes() {
        return pendingBytes;
    }

    /**
     * Drops everything queued and closes the connection now, without writing what is queued (the client is not
     * reading it). Returns how many packets were dropped here, not counting frames already handed to the container.
     */
    public int abort(int code, String reason) {
        int dropped;
        synchronized (this) {
            if (closed) {
                return 0;
            }
            closed = true;
            dropped = queue.size();
            queue.clear();
        }
        connection.close(code, reason);
        return dropped;
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
                EnginePacket single = null;
                List<EnginePacket> batch = null;
                synchronized (this) {
                    if (queue.isEmpty() || closed) {
                        draining = false;
                        if (closeDueLocked()) {
                            break;
                        }
                        return;
                    }
                    if (queue.size() == 1) { // the usual case: no list for one packet
                        single = queue.poll();
                    } else {
                        batch = new ArrayList<>(queue);
                        queue.clear();
                    }
                }
                if (single != null) {
                    send(single);
                } else {
                    batch.forEach(this::send);
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

    private void send(EnginePacket p) {
        long size = sizeOf(p);
        Runnable written = () -> written(size);
        if (p.isBinary()) {
            connection.sendBinary(p.binary(), written);
        } else {
            connection.sendText(p.type().code(), p.text(), written);
        }
    }

    private void written(long size) {
        synchronized (this) {
            pendingPackets--;
            pendingBytes -= size;
            if (draining || !closeDueLocked()) {
                return;
            }
        }
        connection.close(1000, "");
    }

    /** True once, when a close was asked for and nothing is left to write: the caller then closes. */
    private boolean closeDueLocked() {
        if (closeWhenDrained && !closed && queue.isEmpty() && pendingPackets == 0) {
            closed = true;
            return true;
        }
        return false;
    }

    /** Whether the connection has been closed (or is being closed) by this writer. */
    public synchronized boolean isClosed() {
        return closed;
    }

    /** What a packet counts for in the send queue: characters of text (plus the type digit), bytes of binary. */
    public static long sizeOf(EnginePacket p) {
        return p.isBinary() ? p.binary().length : p.text().length() + 1;
    }
}
