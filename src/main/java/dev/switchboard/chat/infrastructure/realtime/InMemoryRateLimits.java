package dev.switchboard.chat.infrastructure.realtime;

import dev.switchboard.chat.application.RateLimits;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * {@link RateLimits} of one node: a sliding-window {@link RateLimiter} per key, dropped once idle for longer than
 * its window (swept now and then) so that the map holds only recently active keys.
 */
public final class InMemoryRateLimits implements RateLimits {
    private static final int SWEEP_EVERY = 1024;

    private final LongSupplier clock;
    private final Map<String, Entry> limiters = new ConcurrentHashMap<>();
    private final AtomicLong calls = new AtomicLong();

    public InMemoryRateLimits(LongSupplier clock) {
        this.clock = clock;
    }

    @Override
    public long tryAcquire(String key, int limit, long windowMillis) {
        long now = clock.getAsLong();
        if (calls.incrementAndGet() % SWEEP_EVERY == 0) {
            limiters.values().removeIf(e -> e.lastUsed <= now - e.windowMillis);
        }
        Entry entry = limiters.compute(key + "|" + limit + "|" + windowMillis, (k, e) -> {
            Entry current = e == null ? new Entry(new RateLimiter(limit, windowMillis), windowMillis) : e;
            current.lastUsed = now;
            return current;
        });
        return entry.limiter.tryAcquire(now);
    }

    int size() {
        return limiters.size();
    }

    private static final class Entry {
        final RateLimiter limiter;
        final long windowMillis;
        volatile long lastUsed;

        Entry(RateLimiter limiter, long windowMillis) {
            this.limiter = limiter;
            this.windowMillis = windowMillis;
        }
    }
}
