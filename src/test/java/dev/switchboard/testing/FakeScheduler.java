package dev.switchboard.testing;

import dev.switchboard.engineio.Clock;
import dev.switchboard.engineio.Scheduler;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** A clock and scheduler that only move when a test calls {@link #advance}. Single-threaded. */
public final class FakeScheduler implements Scheduler, Clock {
    private final List<Task> tasks = new ArrayList<>();
    private long now;
    private long sequence;

    @Override
    public long nowMillis() {
        return now;
    }

    @Override
    public synchronized Cancellable schedule(Runnable task, long delayMillis) {
        Task t = new Task(now + Math.max(0, delayMillis), sequence++, task);
        tasks.add(t);
        return () -> {
            synchronized (FakeScheduler.this) {
                tasks.remove(t);
            }
        };
    }

    /** Moves time forward, running every task that falls due, in time order (tasks may schedule more). */
    public void advance(long millis) {
        long target = now + millis;
        while (true) {
            Task next;
            synchronized (this) {
                next = tasks.stream().filter(t -> t.due <= target)
                        .min(Comparator.comparingLong((Task t) -> t.due).thenComparingLong(t -> t.seq)).orElse(null);
                if (next == null) {
                    break;
                }
                tasks.remove(next);
                now = Math.max(now, next.due);
            }
            next.run.run();
        }
        now = target;
    }

    public synchronized int pendingTasks() {
        return tasks.size();
    }

    private record Task(long due, long seq, Runnable run) { }
}
