package dev.switchboard.container;

import dev.switchboard.engineio.Clock;
import dev.switchboard.engineio.EngineServer;
import dev.switchboard.socketio.SocketIoServer;

import java.util.List;
import java.util.function.BooleanSupplier;

/**
 * The steps of a graceful shutdown, bounded by one timeout: (1) new handshakes get 503, (2) incoming events are no
 * longer dispatched and the ones being handled finish (their acks still go out), (3) every client is told "server
 * shutting down" and its send buffer is flushed as its connection closes, (4) whatever is left is closed. The
 * caller turns readiness DOWN before calling {@link #run}.
 */
final class GracefulDrain {
    private static final System.Logger LOG = System.getLogger(GracefulDrain.class.getName());
    private static final long POLL_MILLIS = 20;

    /** How the drain waits; tests pass one that advances a fake clock. */
    interface Pause {
        void pause(long millis) throws InterruptedException;
    }

    /** What happened: whether in-flight work finished and every connection closed before the deadline. */
    record Outcome(boolean inFlightFinished, boolean sessionsClosed, long tookMillis) { }

    private final Clock clock;
    private final Pause pause;

    GracefulDrain(Clock clock, Pause pause) {
        this.clock = clock;
        this.pause = pause;
    }

    static GracefulDrain system() {
        return new GracefulDrain(Clock.system(), Thread::sleep);
    }

    Outcome run(SocketIoServer io, List<EngineServer> engines, long timeoutMillis) {
        long start = clock.nowMillis();
        long deadline = start + timeoutMillis;
        engines.forEach(EngineServer::stopAccepting);
        io.drain();
        boolean idle = await(() -> io.inFlight() == 0, deadline);
        if (!idle) {
            LOG.log(System.Logger.Level.WARNING, "drain: {0,number,#} events still being handled after {1,number,#} ms; closing anyway",
                    io.inFlight(), timeoutMillis);
        }
        // Closing a connection waits for its handler to return (the close is delivered after the packets being
        // received): close on another thread so that a handler stuck past the deadline cannot hold the shutdown.
        Thread closer = Thread.ofVirtual().name("switchboard-drain").start(() -> {
            io.close();
            engines.forEach(EngineServer::shutdown);
        });
        // A polling client between two polls gets its close packet on its next GET: wait for those (bounded).
        boolean closed = await(() -> !closer.isAlive(), deadline)
                && await(() -> engines.stream().allMatch(e -> e.sessionCount() == 0), deadline);
        if (!closed) {
            LOG.log(System.Logger.Level.WARNING, "drain: connections still closing after {0,number,#} ms; giving up on them",
                    timeoutMillis);
        }
        long took = clock.nowMillis() - start;
        LOG.log(System.Logger.Level.INFO, "drained in {0,number,#} ms (in-flight finished: {1}, sessions closed: {2})",
                took, idle, closed);
        return new Outcome(idle, closed, took);
    }

    private boolean await(BooleanSupplier done, long deadline) {
        while (!done.getAsBoolean()) {
            if (clock.nowMillis() >= deadline) {
                return false;
            }
            try {
                pause.pause(POLL_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return done.getAsBoolean();
            }
        }
        return true;
    }
}
