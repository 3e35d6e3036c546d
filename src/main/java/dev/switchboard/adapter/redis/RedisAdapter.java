package dev.switchboard.adapter.redis;

import dev.switchboard.adapter.BroadcastOptions;
import dev.switchboard.adapter.NamespaceView;
import dev.switchboard.adapter.SocketDetails;
import dev.switchboard.adapter.cluster.ClusterAdapter;
import dev.switchboard.adapter.cluster.ClusterOptions;
import dev.switchboard.adapter.cluster.ClusterTimer;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeoutException;

/**
 * A namespace's cluster adapter over Redis pub/sub, on the channels of the reference {@code @socket.io/redis-adapter}:
 * publishes through the shared pooled client and receives through the shared subscriber of {@link RedisConnection}.
 * The node count is Redis' own ({@code PUBSUB NUMSUB} of the request channel, which counts Node reference servers
 * too), the heartbeat count when NUMSUB fails, and 1 while Redis is unreachable.
 */
public final class RedisAdapter extends ClusterAdapter {

    private final RedisConnection connection;

    RedisAdapter(NamespaceView namespace, ClusterOptions options, ClusterTimer timer, RedisConnection connection) {
        super(namespace, options, timer);
        this.connection = connection;
    }

    @Override
    public void init() {
        connection.register(this);
        super.init();
    }

    @Override
    public void close() {
        super.close(); // says goodbye on the request channel while still connected
        connection.unregister(this);
    }

    @Override
    protected void publish(String channel, byte[] payload) {
        connection.publish(channel, payload);
    }

    @Override
    public CompletableFuture<List<SocketDetails>> fetchSockets(BroadcastOptions opts) {
        CompletableFuture<List<SocketDetails>> result = super.fetchSockets(opts);
        result.whenComplete((sockets, error) -> {
            Throwable cause = error instanceof CompletionException c && c.getCause() != null ? c.getCause() : error;
            if (cause instanceof TimeoutException) {
                connection.requestTimedOut(); // a node did not answer in time: counted for the operator
            }
        });
        return result;
    }

    @Override
    public CompletableFuture<Integer> serverCount() {
        if (!connection.isConnected()) {
            return CompletableFuture.completedFuture(1); // nobody else can be reached: requests answer locally
        }
        long subscribers = connection.subscriberCount(channels().request());
        return subscribers > 0 ? CompletableFuture.completedFuture((int) subscribers) : super.serverCount();
    }
}
