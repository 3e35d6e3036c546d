package dev.switchboard.adapter.redis;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Function;
import java.util.logging.Level;
import java.util.logging.Logger;
import redis.clients.jedis.BinaryJedisPubSub;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.Protocol;
import redis.clients.jedis.RedisClient;

/**
 * The Redis side of one server's cluster adapters: a pooled {@link RedisClient} for publishing and one dedicated
 * subscriber connection whose blocking loop runs on one thread from the given factory (the container's
 * ManagedThreadFactory). When Redis is unreachable the loop retries with exponential backoff and jitter, publishing
 * is skipped (local clients are still served), and when Redis returns every namespace's channels are subscribed
 * again. {@link #close()} ends the loop and joins its thread. It counts what it moves (messages published, publishes
 * skipped or failed, messages received, reconnects, cluster requests timed out) for the container's metrics: this
 * layer has no registry, the container reads the counts when scraped.
 */
public final class RedisConnection implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(RedisConnection.class.getName());
    static final long MIN_BACKOFF_MILLIS = 200;
    static final long MAX_BACKOFF_MILLIS = 10_000;

    private final URI uri;
    private final String prefix;
    // Replaced when Redis comes back: its pooled connections died with the old Redis and would each fail once.
    private volatile RedisClient publisher;
    private final Thread subscriberThread;
    private final Object lock = new Object();
    private final List<RedisAdapter> adapters = new CopyOnWriteArrayList<>();
    private final Map<String, RedisAdapter> byChannel = new ConcurrentHashMap<>();
    private volatile boolean closed;
    private volatile boolean connected;
    private volatile long disconnectedSince = System.currentTimeMillis();
    private volatile String lastError = "not connected yet";
    private Subscriber subscriber;
    private Jedis subscriberConnection;
    private final LongAdder published = new LongAdder();
    private final LongAdder publishFailures = new LongAdder();
    private final LongAdder received = new LongAdder();
    private final LongAdder reconnects = new LongAdder();
    private final LongAdder requestTimeouts = new LongAdder();

    public RedisConnection(URI uri, String keyPrefix, ThreadFactory threads) {
        this.uri = uri;
        this.prefix = keyPrefix;
        this.publisher = RedisClient.create(uri);
        this.subscriberThread = threads.newThread(this::run);
        if (subscriberThread == null) {
            publisher.close();
            throw new IllegalStateException("the thread factory refused to create the Redis subscriber thread");
        }
        subscriberThread.setName("switchboard-redis-subscriber");
        subscriberThread.setDaemon(true);
        subscriberThread.start();
    }

    /** True while the subscriber connection is up: cluster delivery works. */
    public boolean isConnected() {
        return connected;
    }

    /** What went wrong last, for health reports; null while connected. */
    public String lastError() {
        return connected ? null : lastError;
    }

    /** Since when Redis has been unreachable (epoch ms), or 0 while connected. */
    public long disconnectedSince() {
        return connected ? 0 : disconnectedSince;
    }

    /** Messages published to Redis since start. */
    public long published() {
        return published.sum();
    }

    /** Publishes skipped (Redis unreachable) or refused by Redis since start: cluster messages lost. */
    public long publishFailures() {
        return publishFailures.sum();
    }

    /** Messages received from Redis since start (this node's own included, which the adapters ignore). */
    public long received() {
        return received.sum();
    }

    /** Times the subscriber connected after a failure (losing Redis, or failed attempts before the first). */
    public long reconnects() {
        return reconnects.sum();
    }

    /** Cluster requests (fetchSockets and the like) that some node did not answer in time. */
    public long requestTimeouts() {
        return requestTimeouts.sum();
    }

    void requestTimedOut() {
        requestTimeouts.increment();
    }

    void register(RedisAdapter adapter) {
        synchronized (lock) {
            adapters.add(adapter);
            var ch = adapter.channels();
            for (String c : List.of(ch.request(), ch.response(), ch.ownResponse())) {
                byChannel.put(c, adapter);
            }
            if (subscriber != null && subscriber.isSubscribed()) {
                subscribeChannels(subscriber, adapter);
            }
        }
    }

    void unregister(RedisAdapter adapter) {
        synchronized (lock) {
            adapters.remove(adapter);
            var ch = adapter.channels();
            List<String> channels = List.of(ch.request(), ch.response(), ch.ownResponse());
            channels.forEach(byChannel::remove);
            if (subscriber != null && subscriber.isSubscribed() && !closed) {
                try {
                    subscriber.unsubscribe(bytes(channels.toArray(String[]::new)));
                } catch (RuntimeException e) {
                    LOG.log(Level.FINE, "unsubscribe failed", e);
                }
            }
        }
    }

    void publish(String channel, byte[] payload) {
        if (!connected) {
            publishFailures.increment();
            throw new IllegalStateException("Redis unreachable: " + lastError);
        }
        try {
            publisher.publish(channel.getBytes(StandardCharsets.UTF_8), payload);
        } catch (RuntimeException e) {
            publishFailures.increment();
            throw e;
        }
        published.increment();
    }

    /** PUBSUB NUMSUB of a channel; 0 when Redis cannot answer. */
    long subscriberCount(String channel) {
        if (!connected) {
            return 0;
        }
        try {
            Object reply = publisher.sendCommand(Protocol.Command.PUBSUB, "NUMSUB", channel);
            if (reply instanceof List<?> list && list.size() >= 2 && list.get(1) instanceof Long count) {
                return count;
            }
        } catch (RuntimeException e) {
            LOG.log(Level.FINE, "PUBSUB NUMSUB failed", e);
        }
        return 0;
    }

    private void run() {
        int attempt = 0;
        while (!closed) {
            Subscriber sub = new Subscriber();
            try (Jedis jedis = new Jedis(uri)) {
                synchronized (lock) {
                    if (closed) {
                        return;
                    }
                    subscriber = sub;
                    subscriberConnection = jedis;
                }
                jedis.psubscribe(sub, bytes(prefix + "#*")); // blocks until unsubscribed or the connection drops
                if (sub.wasConnected) {
                    attempt = 0;
                }
                if (!closed) {
                    lastError = "subscription ended";
                    markDown();
                }
            } catch (RuntimeException e) {
                if (closed) {
                    break;
                }
                if (sub.wasConnected) {
                    attempt = 0;
                }
                lastError = e.getClass().getSimpleName() + ": " + e.getMessage();
                markDown();
            } finally {
                synchronized (lock) {
                    subscriber = null;
                    subscriberConnection = null;
                }
            }
            if (closed) {
                break;
            }
            long delay = backoffMillis(attempt++);
            LOG.log(attempt == 1 ? Level.WARNING : Level.FINE, "Redis at {0} unreachable ({1}); cluster delivery "
                    + "paused, local clients still served; retrying in {2,number,#} ms", new Object[] {redacted(), lastError, delay});
            try {
                Thread.sleep(delay);
            } catch (InterruptedException e) {
                if (closed) {
                    break;
                }
                Thread.currentThread().interrupt();
                break;
            }
        }
    }

    private void markDown() {
        if (connected) {
            connected = false;
            disconnectedSince = System.currentTimeMillis();
        }
    }

    /** Exponential from 200 ms to 10 s, with jitter: a random value in the upper half of the step. */
    static long backoffMillis(int attempt) {
        long step = Math.min(MAX_BACKOFF_MILLIS, MIN_BACKOFF_MILLIS << Math.min(attempt, 16));
        return step / 2 + ThreadLocalRandom.current().nextLong(step / 2 + 1);
    }

    private void subscribeChannels(Subscriber sub, RedisAdapter adapter) {
        var ch = adapter.channels();
        sub.subscribe(bytes(ch.request(), ch.response(), ch.ownResponse()));
    }

    private String redacted() {
        return uri.getScheme() + "://" + uri.getHost() + ":" + uri.getPort();
    }

    private static byte[][] bytes(String... values) {
        byte[][] out = new byte[values.length][];
        for (int i = 0; i < values.length; i++) {
            out[i] = values[i].getBytes(StandardCharsets.UTF_8);
        }
        return out;
    }

    private static byte[] bytes(String value) {
        return value.getBytes(StandardCharsets.UTF_8);
    }

    /**
     * Runs a command on the pooled client this connection publishes with, so that other users of the same Redis on
     * this node share its pool and, after Redis comes back, its fresh connections. Throws what the command throws, or
     * IllegalStateException once closed.
     */
    public <T> T call(Function<RedisClient, T> command) {
        if (closed) {
            throw new IllegalStateException("the Redis connection is closed");
        }
        return command.apply(publisher);
    }

    @Override
    public void close() {
        closed = true;
        synchronized (lock) {
            if (subscriber != null && subscriber.isSubscribed()) {
                try {
                    subscriber.punsubscribe();
                    subscriber.unsubscribe();
                } catch (RuntimeException e) {
                    LOG.log(Level.FINE, "unsubscribe on close failed", e);
                }
            }
            if (subscriberConnection != null) {
                try {
                    subscriberConnection.disconnect(); // unblocks the read if Redis does not answer
                } catch (RuntimeException e) {
                    LOG.log(Level.FINE, "disconnect on close failed", e);
                }
            }
        }
        subscriberThread.interrupt();
        try {
            subscriberThread.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (subscriberThread.isAlive()) {
            LOG.log(Level.WARNING, "the Redis subscriber thread did not stop within 5 s");
        }
        publisher.close();
        connected = false;
    }

    private final class Subscriber extends BinaryJedisPubSub {
        volatile boolean wasConnected;

        @Override
        public void onPSubscribe(byte[] pattern, int subscribedChannels) {
            if (wasConnected) {
                return;
            }
            wasConnected = true;
            synchronized (lock) {
                for (RedisAdapter adapter : adapters) {
                    subscribeChannels(this, adapter);
                }
            }
            boolean resumed = disconnectedSince > 0 && !"not connected yet".equals(lastError);
            if (resumed) {
                reconnects.increment();
                RedisClient stale = publisher;
                publisher = RedisClient.create(uri); // before connected: publishes from now on use fresh connections
                try {
                    stale.close();
                } catch (RuntimeException e) {
                    LOG.log(Level.FINE, "closing the old publisher failed", e);
                }
            }
            connected = true;
            LOG.log(Level.INFO, resumed ? "Redis at {0} reachable again: cluster delivery resumed"
                    : "Redis at {0} connected: cluster delivery on", redacted());
        }

        @Override
        public void onPMessage(byte[] pattern, byte[] channel, byte[] message) {
            received.increment();
            String name = new String(channel, StandardCharsets.UTF_8);
            for (RedisAdapter adapter : adapters) {
                if (name.startsWith(adapter.channels().broadcast())) {
                    adapter.onMessage(name, message);
                }
            }
        }

        @Override
        public void onMessage(byte[] channel, byte[] message) {
            received.increment();
            String name = new String(channel, StandardCharsets.UTF_8);
            RedisAdapter adapter = byChannel.get(name);
            if (adapter != null) {
                adapter.onMessage(name, message);
            }
        }
    }
}
