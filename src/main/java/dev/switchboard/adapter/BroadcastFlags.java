package dev.switchboard.adapter;

/**
 * Modifiers of one broadcast.
 *
 * @param isVolatile    skip recipients whose transport cannot write right now
 * @param local         deliver on this node only (a cluster adapter does not publish)
 * @param timeoutMillis how long a broadcast with acknowledgement waits for the responses, or {@link #NO_TIMEOUT}
 */
public record BroadcastFlags(boolean isVolatile, boolean local, long timeoutMillis) {

    public static final long NO_TIMEOUT = -1;

    public static final BroadcastFlags NONE = new BroadcastFlags(false, false, NO_TIMEOUT);

    public BroadcastFlags {
        if (timeoutMillis < 0) {
            timeoutMillis = NO_TIMEOUT;
        }
    }

    public boolean hasTimeout() {
        return timeoutMillis != NO_TIMEOUT;
    }

    public BroadcastFlags withVolatile(boolean value) {
        return new BroadcastFlags(value, local, timeoutMillis);
    }

    public BroadcastFlags withLocal(boolean value) {
        return new BroadcastFlags(isVolatile, value, timeoutMillis);
    }

    public BroadcastFlags withTimeoutMillis(long value) {
        if (value < 0) {
            throw new IllegalArgumentException("timeout must be >= 0: " + value);
        }
        return new BroadcastFlags(isVolatile, local, value);
    }
}
