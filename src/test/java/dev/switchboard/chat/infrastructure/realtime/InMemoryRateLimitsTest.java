package dev.switchboard.chat.infrastructure.realtime;

import org.junit.jupiter.api.Test;

import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

class InMemoryRateLimitsTest {
    private final AtomicLong now = new AtomicLong(10_000);
    private final InMemoryRateLimits limits = new InMemoryRateLimits(now::get);

    @Test
    void eachKeyHasItsOwnWindow() {
        for (int i = 0; i < 3; i++) {
            assertThat(limits.tryAcquire("alice", 3, 1000)).isZero();
        }
        assertThat(limits.tryAcquire("alice", 3, 1000)).isEqualTo(1000);
        assertThat(limits.tryAcquire("bob", 3, 1000)).isZero();
        now.addAndGet(1000);
        assertThat(limits.tryAcquire("alice", 3, 1000)).isZero();
    }

    @Test
    void idleKeysAreDropped() {
        for (int i = 0; i < 2_000; i++) {
            limits.tryAcquire("user-" + i, 5, 1000);
        }
        now.addAndGet(5_000);
        for (int i = 0; i < 1_100; i++) {
            limits.tryAcquire("other-" + i, 5, 1000);
        }
        assertThat(limits.size()).isLessThanOrEqualTo(1_100);
    }
}
