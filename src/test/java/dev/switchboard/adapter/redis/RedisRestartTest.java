package dev.switchboard.adapter.redis;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.switchboard.adapter.BroadcastOptions;
import dev.switchboard.adapter.cluster.ClusterOptions;
import dev.switchboard.adapter.cluster.ClusterTimer;
import dev.switchboard.adapter.cluster.FakeNode;
import dev.switchboard.socketio.parser.SioPacket;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * Redis goes away and comes back (a private redis-server on a port of 3580-3599, never the shared one): local
 * clients are served during the gap, cluster delivery resumes afterwards, and close() leaves no thread behind.
 */
class RedisRestartTest {

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
    private Process redis;
    private int port;

    private void startRedis() throws IOException {
        redis = new ProcessBuilder("redis-server", "--port", String.valueOf(port), "--bind", "127.0.0.1",
                "--save", "", "--appendonly", "no").redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
    }

    @AfterEach
    void stop() throws InterruptedException {
        if (redis != null) {
            redis.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
        }
        scheduler.shutdownNow();
    }

    @Test
    void localClientsAreServedDuringTheGapAndTheClusterResumes() throws Exception {
        Assumptions.assumeTrue(Files.isExecutable(Path.of("/usr/bin/redis-server")), "redis-server not installed");
        port = freePort();
        startRedis();
        URI uri = URI.create("redis://127.0.0.1:" + port);
        ClusterOptions options = ClusterOptions.defaults().withKeyPrefix("restart").withRequestTimeoutMillis(1_000);
        RedisAdapterFactory fa = new RedisAdapterFactory(uri, options, timer, threadFactory);
        RedisAdapterFactory fb = new RedisAdapterFactory(uri, options, timer, threadFactory);
        FakeNode a = new FakeNode("/", System::currentTimeMillis, v -> (RedisAdapter) fa.create(v));
        FakeNode b = new FakeNode("/", System::currentTimeMillis, v -> (RedisAdapter) fb.create(v));
        a.adapter.init();
        b.adapter.init();
        FakeNode.Sock a1 = a.connect("a1", "room");
        FakeNode.Sock b1 = b.connect("b1", "room");
        waitUntil(() -> fa.connection().isConnected() && fb.connection().isConnected()
                && a.adapter.serverCount().join() == 2);
        send(a, "before");
        waitUntil(() -> b1.received.size() == 1);

        redis.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
        waitUntil(() -> !fa.connection().isConnected() && !fb.connection().isConnected());
        send(a, "during");
        assertThat(a1.received).hasSize(2); // the local client still gets it, at once
        assertThat(fa.connection().lastError()).isNotNull();
        assertThat(a.adapter.fetchSockets(BroadcastOptions.all()).get(2, TimeUnit.SECONDS)).hasSize(1);

        startRedis();
        waitUntil(() -> fa.connection().isConnected() && fb.connection().isConnected()
                && a.adapter.serverCount().join() == 2);
        send(a, "after");
        waitUntil(() -> b1.received.size() == 2);
        assertThat(b1.received).extracting(p -> p.data().get(0).asText()).containsExactly("before", "after");

        a.adapter.close();
        b.adapter.close();
        fa.close();
        fb.close();
        for (Thread t : threads) {
            t.join(5_000);
            assertThat(t.isAlive()).isFalse();
        }
    }

    private static void send(FakeNode node, String text) {
        node.adapter.broadcast(SioPacket.event("/", JsonNodeFactory.instance.arrayNode().add(text), -1),
                new BroadcastOptions(Set.of("room"), Set.of(), null));
    }

    private static void waitUntil(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("condition not met within 15 s");
            }
            Thread.sleep(20);
        }
    }

    private static int freePort() {
        for (int p = 3580; p <= 3599; p++) {
            try (ServerSocket s = new ServerSocket(p, 1, InetAddress.getLoopbackAddress())) {
                return p;
            } catch (IOException e) {
                // taken
            }
        }
        throw new IllegalStateException("no free port in 3580-3599");
    }
}
