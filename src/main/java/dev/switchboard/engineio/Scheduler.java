package dev.switchboard.engineio;

/**
 * Runs delayed tasks. The core owns no threads: the container binds this to a managed scheduled executor,
 * tests bind it to a fake that advances with a fake clock.
 */
@FunctionalInterface
public interface Scheduler {
    Cancellable schedule(Runnable task, long delayMillis);

    /** A scheduled task; cancel is idempotent and safe after the task ran. */
    @FunctionalInterface
    interface Cancellable {
        void cancel();

        Cancellable NONE = () -> { };
    }
}
