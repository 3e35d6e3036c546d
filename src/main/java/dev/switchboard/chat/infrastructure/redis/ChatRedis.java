package dev.switchboard.chat.infrastructure.redis;

import dev.switchboard.adapter.redis.RedisConnection;
import dev.switchboard.container.ClusterSettings;
import dev.switchboard.container.SwitchboardRuntime;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.ConfigProvider;
import redis.clients.jedis.RedisClient;

import java.util.Optional;
import java.util.function.Function;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The chat's Redis, present only when {@code switchboard.adapter=redis}: the adapter's own connection and key prefix,
 * so that a node keeps one pool and, after a Redis restart, gets the adapter's fresh connections. Calls never throw:
 * a failure answers empty and pauses Redis use for a few seconds (callers fall back), so that an outage does not add
 * a connect timeout to every message.
 */
@ApplicationScoped
public class ChatRedis {
    static final long PAUSE_AFTER_FAILURE_MILLIS = 3_000;
    private static final Logger LOG = Logger.getLogger(ChatRedis.class.getName());

    /** Runs a command on a Redis client (a method reference: the method is generic). */
    interface Commands {
        <T> T call(Function<RedisClient, T> command);
    }

    @Inject
    SwitchboardRuntime runtime;

    private volatile boolean initialised;
    private Commands commands;
    private String keyPrefix;
    private volatile long pausedUntil;

    /** On the given client, outside CDI (tests). */
    static ChatRedis of(RedisClient client, String keyPrefix) {
        ChatRedis redis = new ChatRedis();
        redis.commands = new Commands() {
            @Override
            public <T> T call(Function<RedisClient, T> command) {
                return command.apply(client);
            }
        };
        redis.keyPrefix = keyPrefix;
        redis.initialised = true;
        return redis;
    }

    /** True when the cluster runs on Redis (the chat's cluster-wide dedup and limits are on). */
    public boolean enabled() {
        init();
        return commands != null;
    }

    /** {@code <adapter key prefix>:chat:<name>}: one run's keys never meet another's. */
    public String key(String name) {
        init();
        return keyPrefix + ":chat:" + name;
    }

    /** Runs the command; empty when Redis is off, paused after a failure, or failing now. */
    public <T> Optional<T> call(String what, Function<RedisClient, T> command) {
        init();
        if (commands == null || System.currentTimeMillis() < pausedUntil) {
            return Optional.empty();
        }
        try {
            return Optional.ofNullable(commands.call(command));
        } catch (RuntimeException e) {
            boolean first = pausedUntil == 0 || System.currentTimeMillis() - pausedUntil > PAUSE_AFTER_FAILURE_MILLIS;
            pausedUntil = System.currentTimeMillis() + PAUSE_AFTER_FAILURE_MILLIS;
            LOG.log(first ? Level.WARNING : Level.FINE, "chat Redis {0} failed ({1}); falling back to local state "
                    + "and the database for {2,number,#} ms", new Object[] {what, e.toString(), PAUSE_AFTER_FAILURE_MILLIS});
            return Optional.empty();
        }
    }

    /** Once the runtime has started (the adapter exists from then on). */
    private void init() {
        if (initialised) {
            return;
        }
        synchronized (this) {
            if (initialised || runtime.adapters() == null) {
                return; // not started yet: answer as if Redis were off, look again next time
            }
            Config config = ConfigProvider.getConfig();
            keyPrefix = ClusterSettings.from(key -> config.getOptionalValue(key, String.class)).options().keyPrefix();
            Optional<RedisConnection> connection = runtime.adapters().redis();
            if (connection.isPresent()) {
                commands = connection.get()::call;
                LOG.log(Level.INFO, "chat dedup and user rate limits cluster-wide on the adapter''s Redis");
            }
            initialised = true;
        }
    }
}
