package dev.switchboard.chat.infrastructure.redis;

import dev.switchboard.chat.application.InMemoryMessageDedup;
import dev.switchboard.chat.application.MessageDedup;
import dev.switchboard.chat.application.RateLimits;
import dev.switchboard.chat.infrastructure.ChatSettings;
import dev.switchboard.chat.infrastructure.realtime.InMemoryRateLimits;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Inject;

/**
 * Chooses where the chat keeps state that must hold across nodes: on Redis when the cluster adapter is Redis
 * (dedup claims, per-user rate limits), in this node's memory otherwise.
 */
@ApplicationScoped
public class ChatCoordination {
    @Inject
    ChatRedis redis;

    @Inject
    ChatSettings settings;

    @Produces
    @ApplicationScoped
    MessageDedup dedup() {
        long ttl = settings.dedupTtlMillis();
        return redis.enabled() ? new RedisMessageDedup(redis, ttl)
                : new InMemoryMessageDedup(ttl, settings.dedupMaxEntries(), System::currentTimeMillis);
    }

    @Produces
    @ApplicationScoped
    RateLimits rateLimits() {
        RateLimits local = new InMemoryRateLimits(System::currentTimeMillis);
        return redis.enabled() ? new RedisRateLimits(redis, local) : local;
    }
}
