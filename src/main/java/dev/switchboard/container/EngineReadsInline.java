package dev.switchboard.container;

import org.glassfish.grizzly.Connection;
import org.glassfish.grizzly.IOEvent;
import org.glassfish.grizzly.Transport;
import org.glassfish.grizzly.filterchain.FilterChainContext;
import org.glassfish.grizzly.filterchain.NextAction;
import org.glassfish.grizzly.strategies.SameThreadIOStrategy;
import org.glassfish.grizzly.threadpool.ThreadPoolConfig;

import java.io.IOException;
import java.util.concurrent.Executor;

/**
 * The listener's I/O strategy, except for the reads of the engine's own connections: the WebSockets this application
 * upgraded, and the keep-alive connections whose last request was a polling request it answered. Those reads are
 * handled on the selector thread that saw them, as an event loop does. Payara hands every read to its worker pool;
 * for a WebSocket frame or a small polling request that hand-off (a queue, a thread wake-up, a context switch, and
 * turning the connection's read interest off and on again) cost more than the work itself. Every other event keeps
 * the listener's own strategy, and a request on such a connection that is not the engine's is handed to the worker
 * pool by {@link GrizzlyEngineFilter} (see {@link #handOff}). The engine's work does not block; an application whose
 * handlers do (the chat's database calls) runs them on its own executor.
 */
final class EngineReadsInline implements org.glassfish.grizzly.IOStrategy {
    /** True while this thread handles a read inline. */
    private static final ThreadLocal<Boolean> INLINE = new ThreadLocal<>();
    private final org.glassfish.grizzly.IOStrategy listener;

    EngineReadsInline(org.glassfish.grizzly.IOStrategy listener) {
        this.listener = listener;
    }

    org.glassfish.grizzly.IOStrategy listener() {
        return listener;
    }

    private static boolean inline(Connection<?> connection, IOEvent event) {
        return event == IOEvent.READ && GrizzlyEngineFilter.readsInline(connection);
    }

    /** True when the current thread handles a read inline: work that may block must be handed off. */
    static boolean handlingInline() {
        return INLINE.get() != null;
    }

    /**
     * Goes on with the chain's work for this read on the worker pool the listener would have used: the context is
     * suspended (the connection reads nothing more meanwhile) and resumed there, where the current filter runs again.
     *
     * @return the action the current filter returns, or null when the listener has no worker pool (the work then
     *         goes on here)
     */
    static NextAction handOff(FilterChainContext ctx) {
        Connection<?> connection = ctx.getConnection();
        Transport transport = connection.getTransport();
        Executor workers = transport.getIOStrategy() instanceof EngineReadsInline mine
                ? mine.listener.getThreadPoolFor(connection, IOEvent.READ) : transport.getWorkerThreadPool();
        if (workers == null) {
            return null;
        }
        NextAction suspend = ctx.getSuspendAction();
        ctx.suspend();
        workers.execute(ctx::resume);
        return suspend;
    }

    @Override
    public boolean executeIoEvent(Connection connection, IOEvent event) throws IOException {
        return executeIoEvent(connection, event, true);
    }

    @Override
    public boolean executeIoEvent(Connection connection, IOEvent event, boolean isIoEventEnabled) throws IOException {
        if (!inline(connection, event)) {
            return listener.executeIoEvent(connection, event, isIoEventEnabled);
        }
        INLINE.set(Boolean.TRUE);
        try {
            return SameThreadIOStrategy.getInstance().executeIoEvent(connection, event, isIoEventEnabled);
        } finally {
            INLINE.remove();
        }
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
