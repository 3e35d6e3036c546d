package dev.switchboard.container;

import dev.switchboard.engineio.transport.WebSocketConnection;
import dev.switchboard.engineio.transport.WebSocketHandler;
import org.glassfish.grizzly.CompletionHandler;
import org.glassfish.grizzly.Connection;
import org.glassfish.grizzly.EmptyCompletionHandler;
import org.glassfish.grizzly.WriteResult;
import org.glassfish.grizzly.memory.Buffers;

import java.nio.ByteBuffer;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One WebSocket on a Grizzly connection (see {@link GrizzlyWebSockets}): the engine's port for sending, and the reader
 * of the client's frames. Writes go to the connection's asynchronous write queue and never block; a broadcast's frame
 * is the same byte array for every recipient ({@link TextFrames}). The engine's handler hears of the end exactly
 * once, when the TCP connection closes, whoever closed it.
 */
final class GrizzlyWebSocket implements WebSocketConnection, WebSocketFrameReader.Sink {
    private static final System.Logger LOG = System.getLogger(GrizzlyWebSocket.class.getName());

    private final Connection<?> connection;
    private final WebSocketFrameReader reader;
    private final AtomicBoolean closeSent = new AtomicBoolean();
    private final AtomicBoolean ended = new AtomicBoolean();
    private volatile WebSocketHandler handler = WebSocketHandler.CLOSED;
    private volatile boolean failed;

    GrizzlyWebSocket(Connection<?> connection, int maxMessage) {
        this.connection = connection;
        this.reader = new WebSocketFrameReader(maxMessage);
    }

    void handler(WebSocketHandler handler) {
        this.handler = handler;
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
        if (ended.compareAndSet(false, true)) {
            handler.onClose(failed);
        }
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
        if (closeSent.compareAndSet(false, true)) {
            int answer = code == 1005 || code == 1006 || code == 1015 ? 1000 : code;
            write(WebSocketFrames.close(answer, reason), null);
        }
        connection.closeSilently(); // graceful: what is queued (the close frame) is written first
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

    @SuppressWarnings({"unchecked", "rawtypes"})
    private void write(byte[] frame, Runnable written) {
        if (closeSent.get() && written != null) { // nothing may follow a close frame
            written.run();
            return;
        }
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
            ((Connection) connection).write(Buffers.wrap(connection.getMemoryManager(), frame), done);
        } catch (RuntimeException e) { // the connection is already closed
            if (written != null) {
                written.run();
            }
        }
    }
}
