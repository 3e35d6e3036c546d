package dev.switchboard.chat.infrastructure.redis;

import dev.switchboard.chat.application.MessageDedup;
import redis.clients.jedis.params.SetParams;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * The source article's cluster-wide dedup: {@code SET key 1 NX PX ttl} on (user, message id). The first post on any
 * node wins; a retry that lands on another node sees the claim. Redis errors answer UNKNOWN (the database's unique
 * key decides), never an error to the sender.
 */
public final class RedisMessageDedup implements MessageDedup {
    private final ChatRedis redis;
    private final long ttlMillis;

    public RedisMessageDedup(ChatRedis redis, long ttlMillis) {
        this.redis = redis;
        this.ttlMillis = ttlMillis;
    }

    @Override
    public Claim claim(String userId, String clientMessageId) {
        String key = key(userId, clientMessageId);
        return redis.call("dedup claim", c -> c.set(key, "1", SetParams.setParams().nx().px(ttlMillis)) != null
                        ? Claim.FIRST : Claim.SEEN)
                .orElse(Claim.UNKNOWN);
    }

    @Override
    public void release(String userId, String clientMessageId) {
        String key = key(userId, clientMessageId);
        redis.call("dedup release", c -> c.del(key));
    }

    /** The user id is base64url-encoded so that no (user, id) pair can be confused with another. */
    private String key(String userId, String clientMessageId) {
        String user = Base64.getUrlEncoder().withoutPadding().encodeToString(userId.getBytes(StandardCharsets.UTF_8));
        return redis.key("dedup:" + user + ":" + clientMessageId);
    }
}
