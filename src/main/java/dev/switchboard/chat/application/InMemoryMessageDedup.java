package dev.switchboard.chat.application;

import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.LongSupplier;

/**
 * {@link MessageDedup} for one node: claims in a map with a time to live, bounded in number. Claims leave in the order
 * they were made (with one TTL, the order they expire): when expired, or when the map is over its bound, so that the
 * heap never grows with the message rate times the TTL. Dropping a live claim early only costs the retry a database
 * lookup: the database's unique key still stores it once. Retries that reach another node are not seen here either.
 */
public final class InMemoryMessageDedup implements MessageDedup {
    private final long ttlMillis;
    private final int maxEntries;
    private final LongSupplier clock;
    private final Map<String, Long> expiries = new ConcurrentHashMap<>();
    /** Keys in claim order; may hold keys already released or re-claimed (checked against the map when taken). */
    private final Queue<String> order = new ConcurrentLinkedQueue<>();

    public InMemoryMessageDedup(long ttlMillis, int maxEntries, LongSupplier clock) {
        if (ttlMillis < 1 || maxEntries < 1) {
            throw new IllegalArgumentException("ttl and max entries must be positive");
        }
        this.ttlMillis = ttlMillis;
        this.maxEntries = maxEntries;
        this.clock = clock;
    }

    @Override
    public Claim claim(String userId, String clientMessageId) {
        long now = clock.getAsLong();
        String key = key(userId, clientMessageId);
        boolean[] first = {false};
        expiries.compute(key, (k, expiry) -> {
            if (expiry == null || expiry <= now) {
                first[0] = true;
                return now + ttlMillis;
            }
            return expiry;
        });
        if (first[0]) {
            order.add(key);
        }
        evict(now);
        return first[0] ? Claim.FIRST : Claim.SEEN;
    }

    /** Takes claims from the old end while they are expired, gone, or the map is over its bound. */
    private void evict(long now) {
        for (String k = order.peek(); k != null; k = order.peek()) {
            Long expiry = expiries.get(k);
            boolean over = expiries.size() > maxEntries;
            if (expiry != null && expiry > now && !over) {
                return;
            }
            if (order.poll() == null) {
                return;
            }
            if (expiry != null && (expiry <= now || over)) {
                expiries.remove(k, expiry);
            }
        }
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
