package dev.switchboard.chat.application;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * {@link MessageDedup} for one node: claims in a map with a time to live, swept now and then so that the map holds
 * at most the claims of the last TTL. Retries that reach another node are not seen here (the database still stores
 * them once).
 */
public final class InMemoryMessageDedup implements MessageDedup {
    private static final int SWEEP_EVERY = 1024;

    private final long ttlMillis;
    private final LongSupplier clock;
    private final Map<String, Long> expiries = new ConcurrentHashMap<>();
    private final AtomicLong claims = new AtomicLong();

    public InMemoryMessageDedup(long ttlMillis, LongSupplier clock) {
        if (ttlMillis < 1) {
            throw new IllegalArgumentException("ttl must be positive");
        }
        this.ttlMillis = ttlMillis;
        this.clock = clock;
    }

    @Override
    public Claim claim(String userId, String clientMessageId) {
        long now = clock.getAsLong();
        if (claims.incrementAndGet() % SWEEP_EVERY == 0) {
            expiries.values().removeIf(expiry -> expiry <= now);
        }
        boolean[] first = {false};
        expiries.compute(key(userId, clientMessageId), (k, expiry) -> {
            if (expiry == null || expiry <= now) {
                first[0] = true;
                return now + ttlMillis;
            }
            return expiry;
        });
        return first[0] ? Claim.FIRST : Claim.SEEN;
    }

    @Override
    public void release(String userId, String clientMessageId) {
        expiries.remove(key(userId, clientMessageId));
    }

    int size() {
        return expiries.size();
    }

    /** Lengths first, so that no (user, id) pair can be confused with another whatever characters they hold. */
    static String key(String userId, String clientMessageId) {
        return userId.length() + ":" + userId + ":" + clientMessageId;
    }
}
