package dev.switchboard.container;

import jakarta.websocket.Session;
import org.glassfish.tyrus.spi.CompletionHandler;
import org.glassfish.tyrus.spi.Writer;

import java.lang.reflect.Field;
import java.nio.ByteBuffer;
import java.util.concurrent.CancellationException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * Writes ready-made frames to a Tyrus WebSocket through Tyrus' own connection writer, the one its send methods end in.
 *
 * <p>Why: {@code sendText} encodes and frames the text again for every recipient; a fan-out profile put that at about
 * 8% of the server's CPU. With the frame built once ({@link TextFrames}) each recipient costs only the write. Frames go
 * through the same writer, on the calling thread, as every frame Tyrus sends itself (close, pong, binary), so their
 * order is kept. The writer is found by reflection on Tyrus 2.2's fields; if it is not there (another WebSocket
 * implementation, or Tyrus not visible to the application), or the session negotiated an extension that transforms
 * frames, {@link #of} returns null and the connection keeps using {@code sendText}.
 */
final class TyrusFrameWriter {
    private static final System.Logger LOG = System.getLogger(TyrusFrameWriter.class.getName());
    private static final ClassValue<Field> FIELDS_WEB_SOCKET = fieldValue("webSocket");
    private static final ClassValue<Field> FIELDS_PROTOCOL_HANDLER = fieldValue("protocolHandler");
    private static final ClassValue<Field> FIELDS_WRITER = fieldValue("writer");
    private static volatile boolean warned;

    private final Writer writer;

    private TyrusFrameWriter(Writer writer) {
        this.writer = writer;
    }

    /** The session's frame writer, or null when frames must go through the standard API. */
    static TyrusFrameWriter of(Session session) {
        try {
            if (!session.getNegotiatedExtensions().isEmpty()) {
                return null;
            }
            Object webSocket = read(session.getAsyncRemote(), FIELDS_WEB_SOCKET);
            Object protocolHandler = webSocket == null ? null : read(webSocket, FIELDS_PROTOCOL_HANDLER);
            Object writer = protocolHandler == null ? null : read(protocolHandler, FIELDS_WRITER);
            if (writer instanceof Writer w) {
                return new TyrusFrameWriter(w);
            }
            warn("no Tyrus writer behind " + session.getClass().getName());
        } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
            warn(e.toString());
        }
        return null;
    }

    /**
     * Writes one frame; {@code done} runs exactly once, with null when the frame has gone to the network or with the
     * failure, possibly before this returns.
     */
    void write(byte[] frame, Consumer<Throwable> done) {
        Completion completion = new Completion(done);
        try {
            writer.write(ByteBuffer.wrap(frame), completion);
        } catch (RuntimeException e) {
            completion.finish(e);
        }
    }

    private static final class Completion extends CompletionHandler<ByteBuffer> {
        private final AtomicBoolean finished = new AtomicBoolean();
        private final Consumer<Throwable> done;

        Completion(Consumer<Throwable> done) {
            this.done = done;
        }

        void finish(Throwable failure) {
            if (finished.compareAndSet(false, true)) {
                done.accept(failure);
            }
        }

        @Override
        public void completed(ByteBuffer result) {
            finish(null);
        }

        @Override
        public void failed(Throwable throwable) {
            finish(throwable);
        }

        @Override
        public void cancelled() {
            finish(new CancellationException("write cancelled"));
        }
    }

    private static Object read(Object target, ClassValue<Field> fields) throws IllegalAccessException {
        Field f = fields.get(target.getClass());
        return f == null ? null : f.get(target);
    }

    /** The named field of a class or its superclasses, made accessible once per class; null if there is none. */
    private static ClassValue<Field> fieldValue(String name) {
        return new ClassValue<>() {
            @Override
            protected Field computeValue(Class<?> type) {
                for (Class<?> c = type; c != null; c = c.getSuperclass()) {
                    try {
                        Field f = c.getDeclaredField(name);
                        f.setAccessible(true);
                        return f;
                    } catch (NoSuchFieldException e) {
                        // look further up
                    } catch (RuntimeException e) {
                        warn(e.toString());
                        return null;
                    }
                }
                return null;
            }
        };
    }

    private static void warn(String why) {
        if (!warned) {
            warned = true;
            LOG.log(System.Logger.Level.INFO, "WebSocket text frames go through sendText ({0}): each recipient of a "
                    + "broadcast is encoded and framed again", why);
        }
    }
}
