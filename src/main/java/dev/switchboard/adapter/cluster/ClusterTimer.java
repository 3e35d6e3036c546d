package dev.switchboard.adapter.cluster;

/** Scheduling for the cluster adapter (heartbeats, request timeouts); the container binds it to managed threads. */
@FunctionalInterface
public interface ClusterTimer {

    /** Runs the task once after the delay; the returned handle cancels it. */
    Cancel schedule(Runnable task, long delayMillis);

    @FunctionalInterface
    interface Cancel {
        Cancel NONE = () -> { };

        void cancel();
    }
}
