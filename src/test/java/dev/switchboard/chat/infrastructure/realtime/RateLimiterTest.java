package dev.switchboard.chat.infrastructure.realtime;

import dev.switchboard.testing.FakeScheduler;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class RateLimiterTest {
    private final FakeScheduler clock = new FakeScheduler();
    private final RateLimiter limiter = new RateLimiter(5, 1000);

    @Test
    void allowsFiveInASecondAndRefusesTheSixthWithTheWait() {
        for (int i = 0; i < 5; i++) {
            assertThat(limiter.tryAcquire(clock.nowMillis())).isZero();
            clock.advance(100);
        }
        // t=500: the first of the five was at t=0, so the window frees up at t=1000
        assertThat(limiter.tryAcquire(clock.nowMillis())).isEqualTo(500);
        clock.advance(499);
        assertThat(limiter.tryAcquire(clock.nowMillis())).isEqualTo(1);
        clock.advance(1);
        assertThat(limiter.tryAcquire(clock.nowMillis())).isZero();
        assertThat(limiter.tryAcquire(clock.nowMillis())).isEqualTo(100);
    }

    @Test
    void refusedAttemptsDoNotCount() {
        for (int i = 0; i < 5; i++) {
            assertThat(limiter.tryAcquire(clock.nowMillis())).isZero();
        }
        for (int i = 0; i < 50; i++) {
            assertThat(limiter.tryAcquire(clock.nowMillis())).isPositive();
        }
        clock.advance(1000);
        for (int i = 0; i < 5; i++) {
            assertThat(limiter.tryAcquire(clock.nowMillis())).isZero();
        }
    }

    @Test
    void aBurstAtTheWindowEdgeIsStillLimitedBySlidingWindow() {
        clock.advance(999);
        for (int i = 0; i < 5; i++) {
            assertThat(limiter.tryAcquire(clock.nowMillis())).isZero();
        }
        clock.advance(2); // a fixed window would reset here
        assertThat(limiter.tryAcquire(clock.nowMillis())).isEqualTo(998);
    }
}
