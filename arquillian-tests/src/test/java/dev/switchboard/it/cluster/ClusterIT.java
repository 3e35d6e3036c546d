package dev.switchboard.it.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.it.NodeProcess;
import dev.switchboard.it.PayaraNodes;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.DisabledIfSystemProperty;

/**
 * Three Payara Micro instances (own processes, --nohazelcast, loopback) with the Redis adapter on the Redis at
 * 127.0.0.1:6379, a key prefix unique to this run, and the interop profile; nginx in front of them with
 * payara/nginx/switchboard.conf.template; and, for the mixed cluster, the Node reference server (npm socket.io +
 * @socket.io/redis-adapter) on the same prefix. The npm socket.io-client drives clients spread over the nodes
 * (arquillian-tests/node/cluster). Plain JUnit: Arquillian starts one server per class and cannot run three.
 */
@DisabledIfSystemProperty(named = "switchboard.itProperties", matches = ".+",
        disabledReason = "runs in the cluster execution only (it starts its own nodes)")
class ClusterIT {

    private static final int NODE_COUNT = 3;
    private static final int MESSAGES = Integer.getInteger("cluster.it.messages", 3000);
    private static PayaraNodes nodes;
    private static Nginx nginx;
    private static Process reference;
    private static String referenceUrl;
    private static Path workDir;

    @BeforeAll
    static void startCluster() throws Exception {
        Path basedir = Path.of(System.getProperty("switchboard.basedir", "."));
        Path war = Path.of(System.getProperty("switchboard.war"));
        workDir = Files.createDirectories(war.getParent().resolve("cluster-it"));
        String prefix = "sbit-" + UUID.randomUUID().toString().substring(0, 8);
        Path properties = workDir.resolve("cluster.properties");
        String base = Files.readString(basedir.resolve("arquillian-tests/src/test/resources/interop.properties"));
        Files.writeString(properties, base + "\n# ClusterIT: every node on the shared Redis, on a prefix of this run\n"
                + "switchboard.adapter=redis\nswitchboard.redis.url=redis://127.0.0.1:6379\n"
                + "switchboard.redis.key-prefix=" + prefix + "\nswitchboard.redis.request-timeout=3000\n"
                // interop's 1.5 s / 1 s heartbeat closes busy sessions on a loaded machine (load 20+): ping timeouts
                + "switchboard.ping-interval=5000\nswitchboard.ping-timeout=20000\n");
        // the Node server boots in a second: start it first, in parallel with the slow Payara boots
        reference = startReference(prefix);
        nodes = PayaraNodes.start(workDir, properties, NODE_COUNT, 3550, 3574, PayaraNodes.defaultJvmOptions());
        nginx = Nginx.start(workDir.resolve("nginx"), List.of(nodes.port(0), nodes.port(1), nodes.port(2)), 3650, 3669);
    }

    @AfterAll
    static void stopCluster() throws InterruptedException {
        if (nginx != null) {
            nginx.close();
        }
        if (reference != null) {
            reference.destroy();
            if (!reference.waitFor(10, TimeUnit.SECONDS)) {
                reference.destroyForcibly();
            }
        }
        if (nodes != null) {
            nodes.close();
        }
    }

    @Test
    void clientsOnDifferentNodesShareRoomsAcksFetchAndDisconnect() throws Exception {
        runNodeTest("cluster/cluster.test.mjs", Map.of("SWITCHBOARD_NODES", String.join(",", nodes.urls())));
    }

    /** Polling clients through nginx stay on their node; thousands of broadcasts, every recipient exactly once. */
    @Test
    void thousandsOfBroadcastsThroughTheBalancerReachEveryRecipientOnce() throws Exception {
        runNodeTest("cluster/balancer.test.mjs", Map.of("SWITCHBOARD_NODES", String.join(",", nodes.urls()),
                "SWITCHBOARD_LB", nginx.url(), "CLUSTER_MESSAGES", String.valueOf(MESSAGES)));
        assertWebSocketFastPaths();
    }

    /** The same scenarios with the Node reference server as one of the nodes: first as the initiator, then not. */
    @Test
    void aNodeReferenceServerJoinsTheCluster() throws Exception {
        runNodeTest("cluster/cluster.test.mjs", Map.of("CLUSTER_MESSAGES", "100",
                "SWITCHBOARD_NODES", String.join(",", referenceUrl, nodes.url(0), nodes.url(1))));
        runNodeTest("cluster/cluster.test.mjs", Map.of("CLUSTER_MESSAGES", "100",
                "SWITCHBOARD_NODES", String.join(",", nodes.url(2), referenceUrl)));
    }

    /**
     * The WebSocket fast path is in use on the deployed server: every node serves its WebSockets on Grizzly (frames
     * read on the selector threads), and none logged that it fell back to Tyrus' sendText (each broadcast recipient
     * framed again) or left Tyrus' idle timer armed.
     */
    private static void assertWebSocketFastPaths() throws IOException {
        for (int i = 0; i < NODE_COUNT; i++) {
            String log = Files.readString(nodes.log(i));
            assertTrue(log.contains("served on Grizzly"), "node " + i + " serves WebSockets on Grizzly");
            assertFalse(log.contains("WebSocket text frames go through sendText"), "node " + i + " framed per recipient");
            assertFalse(log.contains("Tyrus idle timer left as is"), "node " + i + " kept Tyrus' idle timer");
        }
    }

    private static void runNodeTest(String file, Map<String, String> env) throws Exception {
        NodeProcess.Result r = NodeProcess.run(NodeProcess.clientsDir(), env, 240, "--test", "--test-reporter=spec",
                file);
        assertEquals(0, r.exitCode(), () -> file + " failed (finished: " + r.finished() + ")\n" + r.output()
                + "\nserver logs in " + workDir + "\n" + nodes.tails() + "\nnginx: " + nginx.errorLog());
    }

    private static Process startReference(String prefix) throws IOException, InterruptedException {
        int port = freePort(3670, 3689);
        referenceUrl = "http://127.0.0.1:" + port;
        ProcessBuilder pb = new ProcessBuilder("node", "cluster/reference-server.mjs")
                .directory(NodeProcess.clientsDir()).redirectErrorStream(true)
                .redirectOutput(workDir.resolve("reference-server.log").toFile());
        pb.environment().putAll(Map.of("PORT", String.valueOf(port), "PREFIX", prefix,
                "REDIS_URL", "redis://127.0.0.1:6379"));
        Process p = pb.start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!answers(port)) {
            if (!p.isAlive() || System.nanoTime() > deadline) {
                p.destroyForcibly();
                throw new IllegalStateException("the Node reference server did not start: "
                        + Files.readString(workDir.resolve("reference-server.log")));
            }
            Thread.sleep(200);
        }
        return p;
    }

    private static boolean answers(int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 500);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static int freePort(int from, int to) {
        for (int p = from; p <= to; p++) {
            if (!answers(p)) {
                return p;
            }
        }
        throw new IllegalStateException("no free port in " + from + "-" + to);
    }
}
