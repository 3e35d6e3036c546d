package dev.switchboard.it.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Three Payara Micro instances (own processes, --nohazelcast, loopback) with the Redis adapter on the Redis at
 * 127.0.0.1:6379, a key prefix unique to this run, and the interop profile; the npm socket.io-client drives clients
 * spread over the nodes (arquillian-tests/node/cluster). Plain JUnit: Arquillian starts one server per class.
 */
class ClusterIT {

    private static final int NODE_COUNT = 3;
    private static final int FIRST_PORT = 3550;
    private static final int LAST_PORT = 3599;
    private static final List<Process> SERVERS = new ArrayList<>();
    private static final List<String> URLS = new ArrayList<>();
    private static Path workDir;
    private static Path basedir;

    @BeforeAll
    static void startCluster() throws Exception {
        basedir = Path.of(System.getProperty("switchboard.basedir", "."));
        Path war = Path.of(System.getProperty("switchboard.war"));
        Path micro = Path.of(System.getProperty("payara.microJar"));
        Path buildDir = war.getParent();
        workDir = Files.createDirectories(buildDir.resolve("cluster-it"));
        String prefix = "sbit-" + UUID.randomUUID().toString().substring(0, 8);
        Path properties = workDir.resolve("cluster.properties");
        String base = Files.readString(basedir.resolve("arquillian-tests/src/test/resources/interop.properties"));
        Files.writeString(properties, base + "\n# ClusterIT: every node on the shared Redis, on a prefix of this run\n"
                + "switchboard.adapter=redis\nswitchboard.redis.url=redis://127.0.0.1:6379\n"
                + "switchboard.redis.key-prefix=" + prefix + "\nswitchboard.redis.request-timeout=3000\n");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        int port = FIRST_PORT;
        for (int i = 0; i < NODE_COUNT; i++) {
            port = freePort(port);
            Path log = workDir.resolve("node-" + i + ".log");
            // C1 only: these nodes live for a minute, and boot time dominates on a busy 2-core machine
            ProcessBuilder pb = new ProcessBuilder(java, "-Xmx320m", "-XX:TieredStopAtLevel=1", "-Xss512k",
                    "-jar", micro.toString(), "--nohazelcast", "--port", String.valueOf(port), "--contextroot", "/",
                    "--prebootcommandfile", basedir.resolve("payara/pre-boot-commands.txt").toString(),
                    "--systemproperties", properties.toString(), "--deploy", war.toString())
                    .redirectErrorStream(true).redirectOutput(log.toFile()).directory(workDir.toFile());
            SERVERS.add(pb.start());
            URLS.add("http://127.0.0.1:" + port);
            port++;
        }
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(Long.getLong("cluster.it.boot-seconds", 300));
        for (int i = 0; i < NODE_COUNT; i++) {
            URI probe = URI.create(URLS.get(i) + "/socket.io/?EIO=4&transport=polling");
            while (true) {
                if (!SERVERS.get(i).isAlive()) {
                    throw new IllegalStateException("node " + i + " exited; see " + workDir.resolve("node-" + i + ".log"));
                }
                try {
                    HttpResponse<String> r = http.send(HttpRequest.newBuilder(probe).timeout(Duration.ofSeconds(3))
                            .build(), HttpResponse.BodyHandlers.ofString());
                    if (r.statusCode() == 200) {
                        break;
                    }
                } catch (IOException e) {
                    // not up yet
                }
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("node " + i + " not ready; see " + workDir);
                }
                Thread.sleep(1_000);
            }
        }
    }

    @AfterAll
    static void stopCluster() throws InterruptedException {
        for (Process p : SERVERS) {
            p.destroy();
        }
        for (Process p : SERVERS) {
            if (!p.waitFor(20, TimeUnit.SECONDS)) {
                p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        }
    }

    @Test
    void clientsOnDifferentNodesShareRoomsAcksFetchAndDisconnect() throws Exception {
        Path nodeDir = basedir.resolve("arquillian-tests/node");
        Path output = workDir.resolve("node-test.log");
        ProcessBuilder pb = new ProcessBuilder("node", "--test", "--test-reporter=spec", "cluster/cluster.test.mjs")
                .directory(nodeDir.toFile()).redirectErrorStream(true).redirectOutput(output.toFile());
        pb.environment().put("SWITCHBOARD_NODES", String.join(",", URLS));
        Process node = pb.start();
        boolean finished = node.waitFor(90, TimeUnit.SECONDS);
        if (!finished) {
            node.destroyForcibly();
        }
        String report = Files.readString(output, StandardCharsets.UTF_8);
        System.out.println(report);
        assertEquals(0, finished ? node.exitValue() : -1, () -> "cluster tests failed:\n" + report
                + "\nserver logs in " + workDir + "\n" + tails());
    }

    private static String tails() {
        return java.util.stream.IntStream.range(0, NODE_COUNT).mapToObj(i -> {
            try {
                List<String> lines = Files.readAllLines(workDir.resolve("node-" + i + ".log"));
                return "--- node " + i + "\n" + lines.subList(Math.max(0, lines.size() - 30), lines.size()).stream()
                        .collect(Collectors.joining("\n"));
            } catch (IOException e) {
                return "--- node " + i + ": " + e;
            }
        }).collect(Collectors.joining("\n"));
    }

    private static int freePort(int from) {
        for (int p = from; p <= LAST_PORT; p++) {
            try (ServerSocket s = new ServerSocket(p, 1, InetAddress.getLoopbackAddress())) {
                return p;
            } catch (IOException e) {
                // taken
            }
        }
        throw new IllegalStateException("no free port in " + FIRST_PORT + "-" + LAST_PORT);
    }
}
