package dev.switchboard.adapter.redis;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.switchboard.adapter.BroadcastOptions;
import dev.switchboard.adapter.SocketDetails;
import dev.switchboard.adapter.cluster.ClusterOptions;
import dev.switchboard.adapter.cluster.ClusterTimer;
import dev.switchboard.adapter.cluster.FakeNode;
import dev.switchboard.socketio.parser.SioPacket;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Two nodes through the Redis on 127.0.0.1:6379 (skipped when it does not answer), on a key prefix of their own. */
class RedisAdapterTest {

    private static final URI REDIS = URI.create("redis://127.0.0.1:6379");
    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
    private final List<Thread> threads = new ArrayList<>();
    private final ThreadFactory threadFactory = r -> {
        Thread t = new Thread(r);
        threads.add(t);
        return t;
    };
    private final ClusterTimer timer = (task, delay) -> {
        var f = scheduler.schedule(task, delay, TimeUnit.MILLISECONDS);
        return () -> f.cancel(false);
    };
    private RedisAdapterFactory factoryA;
    private RedisAdapterFactory factoryB;
    private FakeNode a;
    private FakeNode b;

    @BeforeEach
    void start() {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", 6379), 500);
        } catch (IOException e) {
            Assumptions.abort("no Redis on 127.0.0.1:6379");
        }
        ClusterOptions options = ClusterOptions.defaults().withKeyPrefix("sbtest-" + UUID.randomUUID())
                .withRequestTimeoutMillis(2_000);
        factoryA = new RedisAdapterFactory(REDIS, options, timer, threadFactory);
        factoryB = new RedisAdapterFactory(REDIS, options, timer, threadFactory);
        a = new FakeNode("/", System::currentTimeMillis, view -> (RedisAdapter) factoryA.create(view));
        b = new FakeNode("/", System::currentTimeMillis, view -> (RedisAdapter) factoryB.create(view));
        a.adapter.init();
        b.adapter.init();
        waitUntil(5, () -> factoryA.connection().isConnected()
                && factoryB.connection().isConnected() && a.adapter.serverCount().join() == 2
                && b.adapter.serverCount().join() == 2);
    }

    @AfterEach
    void stop() throws InterruptedException {
        if (factoryA != null) {
            a.adapter.close();
            b.adapter.close();
            factoryA.close();
            factoryB.close();
        }
        scheduler.shutdownNow();
        for (Thread t : threads) {
            t.join(5_000);
            assertThat(t.isAlive()).as("subscriber thread " + t.getName() + " stopped").isFalse();
        }
    }

    private static void waitUntil(int seconds, java.util.function.BooleanSupplier condition) {
        long deadline = System.nanoTime() + Duration.ofSeconds(seconds).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("condition not met within " + seconds + " s");
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                throw new AssertionError(e);
            }
        }
    }

    @Test
    void roomBroadcastFetchAndDisconnectAcrossTwoNodes() throws Exception {
        FakeNode.Sock a1 = a.connect("a1", "room");
        FakeNode.Sock b1 = b.connect("b1", "room");
        FakeNode.Sock b2 = b.connect("b2");
        a.adapter.broadcast(SioPacket.event("/", JsonNodeFactory.instance.arrayNode().add("hi"), -1),
                new BroadcastOptions(Set.of("room"), Set.of(), null));
        waitUntil(5, () -> b1.received.size() == 1);
        assertThat(a1.received).hasSize(1);
        assertThat(b2.received).isEmpty();

        List<SocketDetails> sockets = a.adapter.fetchSockets(BroadcastOptions.all()).get(5, TimeUnit.SECONDS);
        assertThat(sockets).extracting(SocketDetails::id).containsExactlyInAnyOrder("a1", "b1", "b2");

        a.adapter.disconnectSockets(new BroadcastOptions(Set.of("room"), Set.of(), null), true);
        waitUntil(5, () -> b1.disconnected);
        assertThat(b2.disconnected).isFalse();
    }
}
