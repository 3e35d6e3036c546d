package dev.switchboard.chat.application;

import org.junit.jupiter.api.Test;

import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

class InMemoryMessageDedupTest {
    private final AtomicLong now = new AtomicLong(1_000);
    private final InMemoryMessageDedup dedup = new InMemoryMessageDedup(60_000, now::get);

    @Test
    void theFirstClaimWinsPerUserAndIdUntilItExpires() {
        assertThat(dedup.claim("alice", "m1")).isEqualTo(MessageDedup.Claim.FIRST);
        assertThat(dedup.claim("alice", "m1")).isEqualTo(MessageDedup.Claim.SEEN);
        assertThat(dedup.claim("bob", "m1")).isEqualTo(MessageDedup.Claim.FIRST);
        assertThat(dedup.claim("alice", "m2")).isEqualTo(MessageDedup.Claim.FIRST);
        now.addAndGet(60_000);
        assertThat(dedup.claim("alice", "m1")).isEqualTo(MessageDedup.Claim.FIRST);
    }

    @Test
    void aReleasedClaimCanBeTakenAgain() {
        assertThat(dedup.claim("alice", "m1")).isEqualTo(MessageDedup.Claim.FIRST);
        dedup.release("alice", "m1");
        assertThat(dedup.claim("alice", "m1")).isEqualTo(MessageDedup.Claim.FIRST);
    }

    @Test
    void userAndIdCannotBeConfusedAcrossTheSeparator() {
        assertThat(dedup.claim("a:b", "c")).isEqualTo(MessageDedup.Claim.FIRST);
        assertThat(dedup.claim("a", "b:c")).isEqualTo(MessageDedup.Claim.FIRST);
    }

    @Test
    void expiredClaimsAreSweptAway() {
        for (int i = 0; i < 2_000; i++) {
            dedup.claim("u", "id-" + i);
        }
        now.addAndGet(120_000);
        for (int i = 0; i < 1_100; i++) {
            dedup.claim("v", "id-" + i);
        }
        assertThat(dedup.size()).isLessThanOrEqualTo(1_100);
    }
}
