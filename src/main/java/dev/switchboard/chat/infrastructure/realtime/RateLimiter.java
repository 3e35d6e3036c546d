package dev.switchboard.chat.infrastructure.realtime;

import java.util.ArrayDeque;

/**
 * A sliding-window limit: at most {@code limit} events in any {@code windowMillis}. One per socket; thread-safe.
 */
public final class RateLimiter {
    private final int limit;
    private final long windowMillis;
    private final ArrayDeque<Long> accepted = new ArrayDeque<>();

    public RateLimiter(int limit, long windowMillis) {
        if (limit < 1 || windowMillis < 1) {
            throw new IllegalArgumentException("limit and window must be positive");
        }
        this.limit = limit;
        this.windowMillis = windowMillis;
    }

    /** Counts an event at {@code nowMillis}: 0 when allowed, else the milliseconds until one would be (not counted). */
    public synchronized long tryAcquire(long nowMillis) {
        while (!accepted.isEmpty() && accepted.peekFirst() <= nowMillis - windowMillis) {
            accepted.pollFirst();
        }
        if (accepted.size() < limit) {
            accepted.addLast(nowMillis);
            return 0;
        }
        return Math.max(1, accepted.peekFirst() + windowMillis - nowMillis);
    }
}
