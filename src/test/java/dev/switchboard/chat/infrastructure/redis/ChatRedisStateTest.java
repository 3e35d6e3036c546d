package dev.switchboard.chat.infrastructure.redis;

import dev.switchboard.chat.application.MessageDedup;
import dev.switchboard.chat.infrastructure.realtime.InMemoryRateLimits;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.RedisClient;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The chat's cluster-wide state on the Redis at 127.0.0.1:6379 (skipped when it does not answer), each run on a key
 * prefix of its own: two "nodes" (two clients) share dedup claims and per-user counters; with Redis unreachable the
 * claims answer UNKNOWN (the database decides) and the limits fall back to the node's own.
 */
class ChatRedisStateTest {
    private final String prefix = "sbtest-" + UUID.randomUUID().toString().substring(0, 8);
    private RedisClient client1;
    private RedisClient client2;

    @BeforeEach
    void redisAnswers() {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", 6379), 500);
        } catch (IOException e) {
            Assumptions.abort("no Redis on 127.0.0.1:6379");
        }
        client1 = RedisClient.create(URI.create("redis://127.0.0.1:6379"));
        client2 = RedisClient.create(URI.create("redis://127.0.0.1:6379"));
    }

    @AfterEach
    void close() {
        for (String key : client1.keys(prefix + ":*")) {
            client1.del(key);
        }
        client1.close();
        client2.close();
    }

    @Test
    void aClaimOnOneNodeIsSeenOnTheOtherAndExpires() throws InterruptedException {
        MessageDedup node1 = new RedisMessageDedup(ChatRedis.of(client1, prefix), 400);
        MessageDedup node2 = new RedisMessageDedup(ChatRedis.of(client2, prefix), 400);
        assertThat(node1.claim("alice", "m1")).isEqualTo(MessageDedup.Claim.FIRST);
        assertThat(node2.claim("alice", "m1")).isEqualTo(MessageDedup.Claim.SEEN);
        assertThat(node2.claim("bob", "m1")).isEqualTo(MessageDedup.Claim.FIRST);
        assertThat(client1.pttl(client1.keys(prefix + ":chat:dedup:*").iterator().next())).isBetween(1L, 400L);
        node1.release("alice", "m1");
        assertThat(node2.claim("alice", "m1")).isEqualTo(MessageDedup.Claim.FIRST);
        Thread.sleep(600);
        assertThat(node1.claim("alice", "m1")).isEqualTo(MessageDedup.Claim.FIRST);
    }

    @Test
    void aUsersCounterIsSharedByTheNodes() {
        RedisRateLimits node1 = new RedisRateLimits(ChatRedis.of(client1, prefix), new InMemoryRateLimits(() -> 0));
        RedisRateLimits node2 = new RedisRateLimits(ChatRedis.of(client2, prefix), new InMemoryRateLimits(() -> 0));
        assertThat(node1.tryAcquire("alice", 3, 60_000)).isZero();
        assertThat(node2.tryAcquire("alice", 3, 60_000)).isZero();
        assertThat(node1.tryAcquire("alice", 3, 60_000)).isZero();
        assertThat(node2.tryAcquire("alice", 3, 60_000)).isBetween(1L, 60_000L);
        assertThat(node1.tryAcquire("bob", 3, 60_000)).isZero();
        // Every counter carries its expiry.
        for (String key : client1.keys(prefix + ":chat:rate:*")) {
            assertThat(client1.pttl(key)).isBetween(1L, 60_000L);
        }
    }

    @Test
    void withRedisUnreachableClaimsAreUnknownAndLimitsAreTheNodes() {
        RedisClient dead = RedisClient.create(URI.create("redis://127.0.0.1:1"));
        try {
            ChatRedis redis = ChatRedis.of(dead, prefix);
            assertThat(new RedisMessageDedup(redis, 1000).claim("alice", "m1")).isEqualTo(MessageDedup.Claim.UNKNOWN);
            AtomicLong now = new AtomicLong(1000);
            RedisRateLimits limits = new RedisRateLimits(redis, new InMemoryRateLimits(now::get));
            assertThat(limits.tryAcquire("alice", 1, 1000)).isZero();
            assertThat(limits.tryAcquire("alice", 1, 1000)).isEqualTo(1000);
        } finally {
            dead.close();
        }
    }
}
