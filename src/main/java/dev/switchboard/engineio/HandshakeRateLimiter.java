package dev.switchboard.engineio;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Handshakes per remote address in fixed one-second windows. Old windows are swept when the table grows, so a
 * stream of distinct addresses cannot grow it without bound.
 */
final class HandshakeRateLimiter {
    private static final long WINDOW_MILLIS = 1000;
    private static final int SWEEP_AT = 10_000;

    private final int perSecond;
    private final Clock clock;
    private final Map<String, long[]> windows = new ConcurrentHashMap<>();

    HandshakeRateLimiter(int perSecond, Clock clock) {
        this.perSecond = perSecond;
        this.clock = clock;
    }

    /** True if this address may handshake now (and counts it). */
    boolean tryAcquire(String address) {
        if (perSecond <= 0) {
            return true;
        }
        long now = clock.nowMillis();
        if (windows.size() > SWEEP_AT) {
            windows.values().removeIf(w -> now - w[0] >= WINDOW_MILLIS);
        }
        long[] w = windows.computeIfAbsent(address == null ? "" : address, k -> new long[] {now, 0});
        synchronized (w) {
            if (now - w[0] >= WINDOW_MILLIS) {
                w[0] = now;
                w[1] = 0;
            }
            if (w[1] >= perSecond) {
                return false;
            }
            w[1]++;
            return true;
        }
    }
}
