package dev.switchboard.adapter.redis;

import dev.switchboard.adapter.Adapter;
import dev.switchboard.adapter.AdapterFactory;
import dev.switchboard.adapter.NamespaceView;
import dev.switchboard.adapter.cluster.ClusterOptions;
import dev.switchboard.adapter.cluster.ClusterTimer;
import java.net.URI;
import java.util.concurrent.ThreadFactory;

/** Creates each namespace's {@link RedisAdapter} on one shared {@link RedisConnection}; close it with the server. */
public final class RedisAdapterFactory implements AdapterFactory, AutoCloseable {

    private final ClusterOptions options;
    private final ClusterTimer timer;
    private final RedisConnection connection;

    public RedisAdapterFactory(URI redisUri, ClusterOptions options, ClusterTimer timer, ThreadFactory threads) {
        this.options = options;
        this.timer = timer;
        this.connection = new RedisConnection(redisUri, options.keyPrefix(), threads);
    }

    @Override
    public Adapter create(NamespaceView namespace) {
        return new RedisAdapter(namespace, options, timer, connection);
    }

    public RedisConnection connection() {
        return connection;
    }

    @Override
    public void close() {
        connection.close();
    }
}
