package dev.switchboard.container;

import dev.switchboard.engineio.Scheduler;
import dev.switchboard.engineio.transport.WebSocketConnection;
import dev.switchboard.engineio.transport.WebSocketHandler;
import org.glassfish.grizzly.Buffer;
import org.glassfish.grizzly.CompletionHandler;
import org.glassfish.grizzly.Connection;
import org.glassfish.grizzly.EmptyCompletionHandler;
import org.glassfish.grizzly.WriteResult;
import org.glassfish.grizzly.memory.Buffers;

import java.nio.ByteBuffer;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One WebSocket on a Grizzly connection (see {@link GrizzlyTransports}): the engine's port for sending, and the reader
 * of the client's frames. Writes go to the connection's asynchronous write queue and never block; a broadcast's frame
 * is the same byte array for every recipient ({@link TextFrames}). The engine's handler hears of the end exactly
 * once, when the TCP connection closes, whoever closed it. Frames written while a read is handled on this thread
 * are held and leave together at its end ({@link WriteBatch}).
 */
final class GrizzlyWebSocket implements WebSocketConnection, WebSocketFrameReader.Sink, WriteBatch.Holder {
    private static final System.Logger LOG = System.getLogger(GrizzlyWebSocket.class.getName());

    /** How long a close may wait for a client that does not read before the connection is dropped. */
    static final long CLOSE_GRACE_MILLIS = 5_000;

    private final Connection<?> connection;
    private final Scheduler scheduler;
    private final WebSocketFrameReader reader;
    private final AtomicBoolean closeSent = new AtomicBoolean();
    private volatile WebSocketHandler handler = WebSocketHandler.CLOSED;
    private volatile boolean failed;
    private boolean ended;

    private final boolean direct;
    // Guards held and every hand-over to Grizzly: a frame written from another thread must not pass held ones. The
    // engine already serialises a connection's sends (WebSocketWriter), so this is all but never contended.
    private final Object writeLock = new Object();
    private final HeldFrames held = new HeldFrames();

    /**
     * @param direct write frames straight to the transport's asynchronous writer, as the chain's last filter does;
     *               only for a chain with nothing to do on a WebSocket's bytes (no TLS), see {@link #write}
     */
    GrizzlyWebSocket(Connection<?> connection, Scheduler scheduler, int maxMessage, boolean direct) {
        this.connection = connection;
        this.direct = direct;
        this.scheduler = scheduler;
        this.reader = new WebSocketFrameReader(maxMessage);
    }

    /** The engine's handler, once it accepted the socket; told at once if the connection already ended. */
    void handler(WebSocketHandler handler) {
        synchronized (this) {
            this.handler = handler;
            if (!ended) {
                return;
            }
        }
        handler.onClose(failed);
    }

    /** Bytes arrived from the client; a breach of the protocol closes with its code. */
    void read(ByteBuffer data) {
        try {
            reader.read(data, this);
        } catch (WebSocketFrameReader.Failure e) {
            LOG.log(System.Logger.Level.DEBUG, "websocket closed: {0}", e.getMessage());
            failed = true;
            close(e.code(), e.getMessage());
        }
    }

    /** The TCP connection closed. */
    void ended() {
        WebSocketHandler h;
        synchronized (this) {
            if (ended) {
                return;
            }
            ended = true;
            h = handler;
        }
        h.onClose(failed);
    }

    @Override
    public void text(String text) {
        if (!closeSent.get()) {
            handler.onText(text);
        }
    }

    @Override
    public void binary(byte[] data) {
        if (!closeSent.get()) {
            handler.onBinary(data);
        }
    }

    @Override
    public void ping(byte[] payload) {
        write(WebSocketFrames.frame(WebSocketFrameReader.OP_PONG, payload), null);
    }

    @Override
    public void close(int code, String reason) {
        int answer = code == 1005 || code == 1006 || code == 1015 ? 1000 : code;
        synchronized (writeLock) { // with the writes' check of closeSent: no frame can follow the close frame
            if (!closeSent.compareAndSet(false, true)) {
                return;
            }
            holdLocked(WebSocketFrames.close(answer, reason), null);
            release(); // what is held, then the close frame, must be queued before the close
        }
        connection.closeSilently(); // graceful: what is queued (the close frame) is written first
        // a client that stopped reading would hold the connection, and what is queued for it, for ever
        scheduler.schedule(connection::terminateSilently, CLOSE_GRACE_MILLIS);
    }

    @Override
    public void sendText(String text, Runnable written) {
        write(WebSocketFrames.text(text), written);
    }

    @Override
    public void sendText(char type, String body, Runnable written) {
        write(TextFrames.frame(type, body), written);
    }

    @Override
    public void sendBinary(byte[] data, Runnable written) {
        write(WebSocketFrames.frame(WebSocketFrameReader.OP_BINARY, data), written);
    }

    private void write(byte[] frame, Runnable written) {
        synchronized (writeLock) {
            if (!closeSent.get()) {
                holdLocked(frame, written);
                return;
            }
        }
        if (written != null) { // nothing may follow a close frame
            written.run();
        }
    }

    /** Sends the frame, or holds it while this thread's read is handled or this connection holds frames already. */
    private void holdLocked(byte[] frame, Runnable written) {
        if (held.isEmpty()) {
            WriteBatch batch = WriteBatch.current();
            if (batch == null) {
                send(frame, written);
                return;
            }
            batch.hold(this);
        }
        held.add(frame, written);
        if (held.bytes() >= HeldFrames.FLUSH_BYTES) {
            held.drainTo(this::send); // the batch finds nothing held at its end, which is fine
        }
    }

    /** Writes what is held, as one buffer. */
    @Override
    public void release() {
        synchronized (writeLock) {
            if (!held.isEmpty()) {
                held.drainTo(this::send);
            }
        }
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private void send(byte[] frames, Runnable written) {
        CompletionHandler<WriteResult> done = written == null ? null : new EmptyCompletionHandler<>() {
            @Override
            public void completed(WriteResult result) {
                written.run();
            }

            @Override
            public void failed(Throwable error) {
                written.run();
                LOG.log(System.Logger.Level.DEBUG, "websocket write failed: {0}", error.toString());
                connection.closeSilently();
            }
        };
        try {
            Buffer buffer = Buffers.wrap(connection.getMemoryManager(), frames);
            if (direct) {
                // A write through the connection walks every filter of the chain down to the transport (HTTP/2,
                // file cache, Grizzly's WebSocket support, the codec...) and none of them has anything to do with
                // a WebSocket frame: for a broadcast, that walk cost more than the write itself.
                connection.getTransport().getWriter(false).write((Connection) connection, buffer, done);
            } else {
                ((Connection) connection).write(buffer, done);
            }
        } catch (RuntimeException e) { // the connection is already closed
            if (written != null) {
                written.run();
            }
        }
    }
}
