package dev.switchboard.chat.application;

import org.junit.jupiter.api.Test;

import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

class InMemoryMessageDedupTest {
    private final AtomicLong now = new AtomicLong(1_000);
    private final InMemoryMessageDedup dedup = new InMemoryMessageDedup(60_000, 10_000, now::get);

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
    void theMapNeverHoldsMoreThanItsBoundWhateverTheRate() {
        InMemoryMessageDedup small = new InMemoryMessageDedup(3_600_000, 100, now::get);
        for (int i = 0; i < 5_000; i++) {
            assertThat(small.claim("u", "id-" + i)).isEqualTo(MessageDedup.Claim.FIRST);
        }
        assertThat(small.size()).isEqualTo(100);
        // the newest claims are the ones kept: a retry of a recent message is still caught here
        assertThat(small.claim("u", "id-4999")).isEqualTo(MessageDedup.Claim.SEEN);
        assertThat(small.claim("u", "id-0")).isEqualTo(MessageDedup.Claim.FIRST); // left to the database's key
    }

    @Test
    void releasedAndReclaimedKeysDoNotConfuseTheOrder() {
        InMemoryMessageDedup small = new InMemoryMessageDedup(60_000, 3, now::get);
        small.claim("u", "a");
        small.release("u", "a");
        small.claim("u", "a");
        small.claim("u", "b");
        small.claim("u", "c");
        assertThat(small.size()).isEqualTo(3);
        assertThat(small.claim("u", "c")).isEqualTo(MessageDedup.Claim.SEEN);
        now.addAndGet(60_000);
        small.claim("u", "d");
        assertThat(small.size()).isEqualTo(1);
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
