package dev.switchboard.container;

import dev.switchboard.engineio.Scheduler;

import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;

/**
 * The core's {@link Scheduler} on threads from the container's ManagedThreadFactory (so they carry the application's
 * context and are the container's, not ours). Cancelled tasks are removed at once, so heartbeats re-armed on every
 * pong do not pile up.
 */
public final class ManagedScheduler implements Scheduler, AutoCloseable {
    private static final System.Logger LOG = System.getLogger(ManagedScheduler.class.getName());
    private final ScheduledThreadPoolExecutor executor;

    public ManagedScheduler(ThreadFactory threads, int size) {
        executor = new ScheduledThreadPoolExecutor(size, threads);
        executor.setRemoveOnCancelPolicy(true);
        executor.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
        // Payara's ManagedThreadFactory gives a thread the context of the thread that asks for it: start them all here,
        // on the deploying thread, not later on whichever thread schedules first (a selector thread has none).
        executor.prestartAllCoreThreads();
    }

    @Override
    public Cancellable schedule(Runnable task, long delayMillis) {
        if (executor.isShutdown()) {
            return Cancellable.NONE;
        }
        var future = executor.schedule(() -> {
            try {
                task.run();
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, "scheduled task failed", e);
            }
        }, Math.max(0, delayMillis), TimeUnit.MILLISECONDS);
        return () -> future.cancel(false);
    }

    @Override
    public void close() {
        executor.shutdownNow();
    }
}
