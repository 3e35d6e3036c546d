package dev.switchboard.chat.infrastructure.redis;

import dev.switchboard.chat.application.RateLimits;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;

/**
 * Rate limits shared by every node: a fixed-window counter per key in Redis, INCR then PEXPIRE on the window's first
 * event, in one Lua script so that a counter never lives without its expiry. Over the limit the answer is the
 * counter's remaining PTTL. While Redis fails the node's own limits apply (per node rather than none).
 */
public final class RedisRateLimits implements RateLimits {
    static final String SCRIPT = """
            local n = redis.call('INCR', KEYS[1])
            if n == 1 or redis.call('PTTL', KEYS[1]) < 0 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
            if n > tonumber(ARGV[2]) then
              local ttl = redis.call('PTTL', KEYS[1])
              if ttl < 1 then ttl = 1 end
              return ttl
            end
            return 0""";

    private final ChatRedis redis;
    private final RateLimits fallback;

    public RedisRateLimits(ChatRedis redis, RateLimits fallback) {
        this.redis = redis;
        this.fallback = fallback;
    }

    @Override
    public long tryAcquire(String key, int limit, long windowMillis) {
        String k = redis.key("rate:" + Base64.getUrlEncoder().withoutPadding()
                .encodeToString(key.getBytes(StandardCharsets.UTF_8)) + ":" + limit + ":" + windowMillis);
        return redis.call("rate limit", c -> c.eval(SCRIPT, List.of(k),
                        List.of(Long.toString(windowMillis), Integer.toString(limit))))
                .map(reply -> reply instanceof Long l ? l : 0L)
                .orElseGet(() -> fallback.tryAcquire(key, limit, windowMillis));
    }
}
