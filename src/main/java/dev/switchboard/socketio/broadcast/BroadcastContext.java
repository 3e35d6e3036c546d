package dev.switchboard.socketio.broadcast;

import dev.switchboard.adapter.Adapter;
import dev.switchboard.engineio.Scheduler;
import java.util.Objects;
import java.util.function.IntConsumer;
import java.util.function.LongSupplier;

/**
 * What a broadcast operator needs from its namespace.
 *
 * @param ackIds                  hands out ack ids unique within the namespace
 * @param defaultAckTimeoutMillis the wait for acknowledgements when no timeout() was given
 * @param onBroadcast             told once per broadcast how many sockets of this node it reached (metrics)
 */
public record BroadcastContext(String namespace, Adapter adapter, LongSupplier ackIds, Scheduler scheduler,
                               long defaultAckTimeoutMillis, IntConsumer onBroadcast) {
    public BroadcastContext(String namespace, Adapter adapter, LongSupplier ackIds, Scheduler scheduler,
                            long defaultAckTimeoutMillis) {
        this(namespace, adapter, ackIds, scheduler, defaultAckTimeoutMillis, recipients -> { });
    }

    public BroadcastContext {
        Objects.requireNonNull(onBroadcast, "onBroadcast");
        Objects.requireNonNull(namespace, "namespace");
        Objects.requireNonNull(adapter, "adapter");
        Objects.requireNonNull(ackIds, "ackIds");
        Objects.requireNonNull(scheduler, "scheduler");
        if (defaultAckTimeoutMillis <= 0) {
            throw new IllegalArgumentException("defaultAckTimeoutMillis must be > 0: " + defaultAckTimeoutMillis);
        }
    }
}
