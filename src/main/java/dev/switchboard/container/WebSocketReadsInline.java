package dev.switchboard.container;

import org.glassfish.grizzly.Connection;
import org.glassfish.grizzly.IOEvent;
import org.glassfish.grizzly.Transport;
import org.glassfish.grizzly.strategies.SameThreadIOStrategy;
import org.glassfish.grizzly.threadpool.ThreadPoolConfig;

import java.io.IOException;
import java.util.concurrent.Executor;

/**
 * The listener's I/O strategy, except for the reads of the WebSockets this application upgraded: those are handled
 * on the selector thread that saw them, as an event loop does. Payara hands every read to its worker pool; for a
 * WebSocket frame that hand-off (a queue, a thread wake-up, a context switch, and turning the connection's read
 * interest off and on again) cost more than reading the frame, and it is what an HTTP request needs, not a frame.
 * HTTP requests, and every other event, keep the listener's own strategy. The engine's work for a frame does not
 * block; an application whose handlers do (the chat's database calls) runs them on its own executor.
 */
final class WebSocketReadsInline implements org.glassfish.grizzly.IOStrategy {
    private final org.glassfish.grizzly.IOStrategy listener;

    WebSocketReadsInline(org.glassfish.grizzly.IOStrategy listener) {
        this.listener = listener;
    }

    org.glassfish.grizzly.IOStrategy listener() {
        return listener;
    }

    private static boolean inline(Connection<?> connection, IOEvent event) {
        return event == IOEvent.READ && GrizzlyEngineFilter.isWebSocket(connection);
    }

    @Override
    public boolean executeIoEvent(Connection connection, IOEvent event) throws IOException {
        return executeIoEvent(connection, event, true);
    }

    @Override
    public boolean executeIoEvent(Connection connection, IOEvent event, boolean isIoEventEnabled) throws IOException {
        return inline(connection, event)
                ? SameThreadIOStrategy.getInstance().executeIoEvent(connection, event, isIoEventEnabled)
                : listener.executeIoEvent(connection, event, isIoEventEnabled);
    }

    @Override
    public Executor getThreadPoolFor(Connection connection, IOEvent event) {
        return inline(connection, event) ? null : listener.getThreadPoolFor(connection, event);
    }

    @Override
    public ThreadPoolConfig createDefaultWorkerPoolConfig(Transport transport) {
        return listener.createDefaultWorkerPoolConfig(transport);
    }
}
