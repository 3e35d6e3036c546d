package dev.switchboard.chat.infrastructure.realtime;

import dev.switchboard.container.LogContext;

import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * One socket's chat work, run in arrival order on the chat's handler pool, one task at a time.
 *
 * <p>Why: the chat's handlers block on the database (and publish to Redis), and a WebSocket's frames are read on the
 * listener's selector threads, which must never block; so the chat moves its work off the thread that read it. One
 * socket's events keep their order (two messages of one client are stored in the order sent) and never run at the
 * same time; different sockets run in parallel. A socket may have at most {@link #MAX_PENDING} tasks waiting: a
 * client that sends faster than the database answers is refused, not queued without end.
 */
final class SocketWork {
    static final int MAX_PENDING = 64;
    private static final Logger LOG = Logger.getLogger(SocketWork.class.getName());

    private final Executor pool;
    private final Queue<Runnable> tasks = new ConcurrentLinkedQueue<>();
    private final AtomicInteger pending = new AtomicInteger();

    SocketWork(Executor pool) {
        this.pool = pool;
    }

    /**
     * Queues the task; it runs with the submitting thread's log context (request id, sid...).
     *
     * @throws RejectedExecutionException when the socket has too much waiting or the pool is shut down
     */
    void submit(Runnable task) {
        if (pending.get() >= MAX_PENDING) {
            throw new RejectedExecutionException("too many requests waiting on this socket");
        }
        tasks.add(withLogContext(task));
        if (pending.getAndIncrement() == 0) {
            try {
                pool.execute(this::drain);
            } catch (RejectedExecutionException e) {
                tasks.clear();
                pending.set(0);
                throw e;
            }
        }
    }

    private static Runnable withLogContext(Runnable task) {
        Map<String, String> fields = LogContext.snapshot();
        if (fields.isEmpty()) {
            return task;
        }
        String[] pairs = new String[fields.size() * 2];
        int i = 0;
        for (Map.Entry<String, String> e : fields.entrySet()) {
            pairs[i++] = e.getKey();
            pairs[i++] = e.getValue();
        }
        return () -> LogContext.with(task, pairs);
    }

    private void drain() {
        do {
            Runnable task = tasks.poll();
            try {
                task.run();
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "chat task failed", e);
            }
        } while (pending.decrementAndGet() > 0);
    }
}
