package dev.switchboard.adapter.cluster;

import java.util.Objects;

/**
 * Settings of a cluster adapter.
 *
 * @param keyPrefix             first part of every channel name ({@code socket.io} in the reference)
 * @param requestTimeoutMillis  how long fetchSockets and serverSideEmit wait for the other nodes' answers
 * @param heartbeatIntervalMillis how often a node announces itself
 * @param heartbeatTimeoutMillis  a node silent for this long no longer counts as alive
 */
public record ClusterOptions(String keyPrefix, long requestTimeoutMillis, long heartbeatIntervalMillis,
                             long heartbeatTimeoutMillis) {

    public static final String DEFAULT_PREFIX = "socket.io";

    public ClusterOptions {
        Objects.requireNonNull(keyPrefix, "keyPrefix");
        if (keyPrefix.isEmpty() || keyPrefix.contains("#") || keyPrefix.contains("*")) {
            throw new IllegalArgumentException("key prefix must be non-empty without '#' or '*': " + keyPrefix);
        }
        if (requestTimeoutMillis <= 0 || heartbeatIntervalMillis <= 0 || heartbeatTimeoutMillis <= heartbeatIntervalMillis) {
            throw new IllegalArgumentException("timeouts must be positive and heartbeat timeout > interval");
        }
    }

    public static ClusterOptions defaults() {
        return new ClusterOptions(DEFAULT_PREFIX, 5_000, 5_000, 10_000);
    }

    public ClusterOptions withKeyPrefix(String value) {
        return new ClusterOptions(value, requestTimeoutMillis, heartbeatIntervalMillis, heartbeatTimeoutMillis);
    }

    public ClusterOptions withRequestTimeoutMillis(long value) {
        return new ClusterOptions(keyPrefix, value, heartbeatIntervalMillis, heartbeatTimeoutMillis);
    }

    public ClusterOptions withHeartbeat(long intervalMillis, long timeoutMillis) {
        return new ClusterOptions(keyPrefix, requestTimeoutMillis, intervalMillis, timeoutMillis);
    }
}
