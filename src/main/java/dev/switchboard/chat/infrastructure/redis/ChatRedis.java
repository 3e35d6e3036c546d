package dev.switchboard.chat.infrastructure.redis;

import dev.switchboard.container.ClusterSettings;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.ConfigProvider;
import redis.clients.jedis.RedisClient;

import java.util.Optional;
import java.util.function.Function;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The chat's own pooled Redis client, on the adapter's {@code switchboard.redis.url} and key prefix, present only
 * when {@code switchboard.adapter=redis}. Calls never throw: a failure answers empty and pauses Redis use for a few
 * seconds (callers fall back), so that an outage does not add a connect timeout to every message.
 */
@ApplicationScoped
public class ChatRedis {
    static final long PAUSE_AFTER_FAILURE_MILLIS = 3_000;
    private static final Logger LOG = Logger.getLogger(ChatRedis.class.getName());

    private volatile boolean initialised;
    private RedisClient client;
    private String keyPrefix;
    private volatile long pausedUntil;

    /** A client on the given Redis, outside CDI (tests). */
    static ChatRedis of(RedisClient client, String keyPrefix) {
        ChatRedis redis = new ChatRedis();
        redis.client = client;
        redis.keyPrefix = keyPrefix;
        redis.initialised = true;
        return redis;
    }

    /** True when the cluster runs on Redis (the chat's cluster-wide dedup and limits are on). */
    public boolean enabled() {
        init();
        return client != null;
    }

    /** {@code <adapter key prefix>:chat:<name>}: one run's keys never meet another's. */
    public String key(String name) {
        init();
        return keyPrefix + ":chat:" + name;
    }

    /** Runs the command; empty when Redis is off, paused after a failure, or failing now. */
    public <T> Optional<T> call(String what, Function<RedisClient, T> command) {
        init();
        if (client == null || System.currentTimeMillis() < pausedUntil) {
            return Optional.empty();
        }
        try {
            return Optional.ofNullable(command.apply(client));
        } catch (RuntimeException e) {
            boolean first = pausedUntil == 0 || System.currentTimeMillis() - pausedUntil > PAUSE_AFTER_FAILURE_MILLIS;
            pausedUntil = System.currentTimeMillis() + PAUSE_AFTER_FAILURE_MILLIS;
            LOG.log(first ? Level.WARNING : Level.FINE, "chat Redis {0} failed ({1}); falling back to local state "
                    + "and the database for {2,number,#} ms", new Object[] {what, e.toString(), PAUSE_AFTER_FAILURE_MILLIS});
            return Optional.empty();
        }
    }

    private void init() {
        if (initialised) {
            return;
        }
        synchronized (this) {
            if (initialised) {
                return;
            }
            Config config = ConfigProvider.getConfig();
            ClusterSettings settings = ClusterSettings.from(key -> config.getOptionalValue(key, String.class));
            keyPrefix = settings.options().keyPrefix();
            if (settings.adapter() == ClusterSettings.Kind.REDIS) {
                client = RedisClient.create(settings.redisUrl());
                LOG.log(Level.INFO, "chat dedup and user rate limits cluster-wide on Redis {0}:{1,number,#}",
                        new Object[] {settings.redisUrl().getHost(), settings.redisUrl().getPort()});
            }
            initialised = true;
        }
    }

    @PreDestroy
    void close() {
        RedisClient c = client;
        if (c != null) {
            try {
                c.close();
            } catch (RuntimeException e) {
                LOG.log(Level.FINE, "closing the chat Redis client failed", e);
            }
        }
    }
}
