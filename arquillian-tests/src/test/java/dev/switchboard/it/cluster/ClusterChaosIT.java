package dev.switchboard.it.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
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
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.DisabledIfSystemProperty;

/**
 * Chaos on a chat cluster: three Payara Micro nodes (the default chat profile, one fresh PostgreSQL database created
 * here and dropped after, the development issuer's key pair in one shared data dir) on a PRIVATE redis-server this
 * test owns (the shared one is never restarted), behind nginx. arquillian-tests/node/cluster/chaos.test.mjs restarts
 * Redis, kills node 0 with SIGKILL and stops node 1 with SIGTERM, each mid-traffic, and checks the history; this
 * class then checks that node 1 ran the graceful drain (its log) and exited by itself.
 */
@DisabledIfSystemProperty(named = "switchboard.itProperties", matches = ".+",
        disabledReason = "runs in the cluster execution only (it starts its own nodes)")
class ClusterChaosIT {
    private static final String DB = "sbchaos_" + UUID.randomUUID().toString().substring(0, 8);
    private static PayaraNodes nodes;
    private static Nginx nginx;
    private static Path workDir;
    private static int redisPort;
    private static boolean databaseCreated;

    @BeforeAll
    static void start() throws Exception {
        Path basedir = Path.of(System.getProperty("switchboard.basedir", "."));
        Path war = Path.of(System.getProperty("switchboard.war"));
        workDir = Files.createDirectories(war.getParent().resolve("cluster-chaos-it"));
        redisPort = freePort(3690, 3699);
        run("redis-server", "--port", String.valueOf(redisPort), "--bind", "127.0.0.1", "--save", "",
                "--appendonly", "no", "--daemonize", "yes", "--dir", workDir.toString(),
                "--logfile", workDir.resolve("redis.log").toString());
        run("createdb", "-h", "127.0.0.1", "-U", "postgres", DB);
        databaseCreated = true;
        Path properties = workDir.resolve("chaos.properties");
        String base = Files.readString(basedir.resolve("arquillian-tests/src/test/resources/chat.properties"));
        Files.writeString(properties, base + """

                # ClusterChaosIT: one database, one private Redis, one development key pair for every node
                switchboard.db.class=org.postgresql.ds.PGSimpleDataSource
                switchboard.db.url=jdbc:postgresql://127.0.0.1:5432/%s
                switchboard.db.user=postgres
                switchboard.db.password=unused-with-trust-auth
                switchboard.adapter=redis
                switchboard.redis.url=redis://127.0.0.1:%d
                switchboard.redis.key-prefix=sbchaos
                switchboard.data-dir=%s
                switchboard.drain-timeout=10000
                # chat.properties' 1.5 s / 1 s heartbeat closes busy sessions on a loaded machine
                switchboard.ping-interval=5000
                switchboard.ping-timeout=20000
                """.formatted(DB, redisPort, workDir.resolve("data")));
        nodes = PayaraNodes.start(workDir, properties, 3, 3575, 3599, PayaraNodes.defaultJvmOptions());
        nginx = Nginx.start(workDir.resolve("nginx"), List.of(nodes.port(0), nodes.port(1), nodes.port(2)), 3650, 3669);
    }

    @AfterAll
    static void stop() throws Exception {
        if (nginx != null) {
            nginx.close();
        }
        if (nodes != null) {
            nodes.close();
        }
        runQuietly("redis-cli", "-p", String.valueOf(redisPort), "shutdown", "nosave");
        if (databaseCreated) {
            runQuietly("dropdb", "-h", "127.0.0.1", "-U", "postgres", "--if-exists", DB);
        }
    }

    @Test
    void redisRestartNodeKillAndGracefulDrainLoseNothingAcknowledged() throws Exception {
        String pids = IntStream.range(0, nodes.size()).mapToObj(i -> String.valueOf(nodes.pid(i)))
                .collect(Collectors.joining(","));
        NodeProcess.Result r = NodeProcess.run(NodeProcess.clientsDir(), Map.of(
                "SWITCHBOARD_LB", nginx.url(), "SWITCHBOARD_NODES", String.join(",", nodes.urls()),
                "NODE_PIDS", pids, "REDIS_PORT", String.valueOf(redisPort), "REDIS_DIR", workDir.toString()),
                300, "--test", "--test-reporter=spec", "cluster/chaos.test.mjs");
        assertEquals(0, r.exitCode(), () -> "chaos tests failed (finished: " + r.finished() + ")\n" + r.output()
                + "\nserver logs in " + workDir + "\n" + nodes.tails() + "\nnginx: " + nginx.errorLog());
        // node 1 got SIGTERM: it drained (GracefulDrain's summary line) and exited without being killed
        assertTrue(waitForExit(1, 30), "node 1 exited after SIGTERM");
        String log = Files.readString(workDir.resolve("node-1.log"));
        assertTrue(log.contains("drained in") && log.contains("sessions closed: true"),
                () -> "node 1 ran the graceful drain:\n" + nodes.tails());
    }

    private static boolean waitForExit(int node, int seconds) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (nodes.isAlive(node) && System.nanoTime() < deadline) {
            Thread.sleep(200);
        }
        return !nodes.isAlive(node);
    }

    private static void run(String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IllegalStateException(String.join(" ", command) + " failed: " + out);
        }
    }

    private static void runQuietly(String... command) {
        try {
            run(command);
        } catch (IOException | RuntimeException e) {
            System.err.println(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static int freePort(int from, int to) {
        for (int p = from; p <= to; p++) {
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", p), 300);
            } catch (IOException e) {
                return p;
            }
        }
        throw new IllegalStateException("no free port in " + from + "-" + to);
    }
}
