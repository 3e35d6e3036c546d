package dev.switchboard.chat.application;

/**
 * Keyed rate limits shared by every connection of a key (a user), on this node or across the cluster: at most
 * {@code limit} events per {@code windowMillis} window.
 */
public interface RateLimits {
    /** Counts one event for the key: 0 when allowed, else the milliseconds until one would be (then not stored). */
    long tryAcquire(String key, int limit, long windowMillis);
}
