package dev.switchboard.container;

import dev.switchboard.adapter.AdapterFactory;
import dev.switchboard.adapter.cluster.ClusterTimer;
import dev.switchboard.adapter.memory.InMemoryAdapter;
import dev.switchboard.adapter.redis.RedisAdapterFactory;
import dev.switchboard.adapter.redis.RedisConnection;
import dev.switchboard.engineio.Scheduler;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ThreadFactory;

/**
 * The adapter factory the settings ask for: in-memory (one node) or Redis (a cluster), with the Redis subscriber on
 * a thread of the container's ManagedThreadFactory and timers on the managed scheduler. Closed with the server.
 */
public final class AdapterSelection implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(AdapterSelection.class.getName());

    private final AdapterFactory factory;
    private final RedisAdapterFactory redis;

    private AdapterSelection(AdapterFactory factory, RedisAdapterFactory redis) {
        this.factory = factory;
        this.redis = redis;
    }

    public static AdapterSelection create(ClusterSettings settings, ThreadFactory threads, Scheduler scheduler) {
        if (settings.adapter() == ClusterSettings.Kind.MEMORY) {
            return new AdapterSelection(InMemoryAdapter::new, null);
        }
        ClusterTimer timer = (task, delay) -> scheduler.schedule(task, delay)::cancel;
        RedisAdapterFactory redis = new RedisAdapterFactory(settings.redisUrl(), settings.options(), timer, threads);
        LOG.log(System.Logger.Level.INFO, "cluster adapter: {0}", settings);
        return new AdapterSelection(redis, redis);
    }

    public AdapterFactory factory() {
        return factory;
    }

    /** The Redis connection (for health and metrics), when the Redis adapter is on. */
    public Optional<RedisConnection> redis() {
        return Optional.ofNullable(redis).map(RedisAdapterFactory::connection);
    }

    /**
     * Adds the Redis families when the Redis adapter is on: connection state, reconnects, cluster messages published
     * and received, publishes lost, request timeouts (read from the connection's own counts when scraped).
     */
    public void bindMetrics(MetricsRegistry registry) {
        redis().ifPresent(c -> {
            registry.gauge("switchboard_redis_connected", "1 while the Redis subscriber is connected, else 0",
                    () -> Map.of("", c.isConnected() ? 1 : 0));
            registry.counterFunction("switchboard_redis_reconnects_total",
                    "Times the Redis subscriber connected again after a failure", () -> Map.of("", c.reconnects()));
            registry.counterFunction("switchboard_cluster_messages_published_total",
                    "Cluster messages published to Redis (heartbeats, broadcasts, requests, responses)",
                    () -> Map.of("", c.published()));
            registry.counterFunction("switchboard_cluster_messages_received_total",
                    "Cluster messages received from Redis (this node's own included)", () -> Map.of("", c.received()));
            registry.counterFunction("switchboard_cluster_publish_failures_total",
                    "Cluster messages not published because Redis was unreachable or refused them",
                    () -> Map.of("", c.publishFailures()));
            registry.counterFunction("switchboard_cluster_request_timeouts_total",
                    "Cluster requests (fetchSockets) some node did not answer within switchboard.redis.request-timeout",
                    () -> Map.of("", c.requestTimeouts()));
        });
    }

    @Override
    public void close() {
        if (redis != null) {
            redis.close();
        }
    }
}
