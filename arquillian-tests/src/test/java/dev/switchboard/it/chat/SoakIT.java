package dev.switchboard.it.chat;

import dev.switchboard.it.NodeProcess;
import dev.switchboard.it.PayaraNodes;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A bounded soak: clients connect, chat and disconnect in churn over websocket, polling and polling-then-upgrade
 * (node/soak/soak.mjs) for {@code -Dsoak.seconds} (default 60; e.g. 3600 for a long run), against a Payara Micro this
 * test starts itself (chat default profile, H2 in memory, heartbeat 5000/5000 ms) so that it can read the JVM from
 * outside. Before (after a 10 s warm-up of the same churn) and after the soak it measures, after a full GC (jcmd
 * GC.run): heap used (jcmd GC.heap_info), threads (/proc/PID/status), open file descriptors (/proc/PID/fd), and the
 * sessions and sockets gauges of /metrics. After the soak they must return to the baseline within the tolerances
 * below, and every acknowledged message must be stored exactly once, no broadcast received twice (the script
 * tolerates up to 20% of rounds cut short or connects failed, which a loaded machine causes; never a loss).
 */
@EnabledIfSystemProperty(named = "switchboard.itProperties", matches = ".*chat\\.properties",
        disabledReason = "runs in failsafe's chat execution (its properties are the base of this server's)")
class SoakIT {
    /** Heap after GC may grow by this much (caches, JIT, pools warmed by the soak itself, not per session). */
    private static final long HEAP_TOLERANCE_BYTES = 24L << 20;
    /** How long the heap may take to come back after the soak (closed connections released lazily, see below). */
    private static final long HEAP_SETTLE_MILLIS = 90_000;
    private static final int THREAD_TOLERANCE = 12;
    private static final int FD_TOLERANCE = 24;
    private static final Pattern USED = Pattern.compile("used (\\d+)K");
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    @AutoClose // stops the node after the tests
    private static PayaraNodes node;

    record Snapshot(long heapBytes, int threads, int fds, double sessions, double sockets, double rooms) {
        @Override
        public String toString() {
            return String.format("heap %.1f MiB, %d threads, %d fds, %.0f sessions, %.0f sockets, %.0f rooms",
                    heapBytes / 1048576.0, threads, fds, sessions, sockets, rooms);
        }
    }

    @BeforeAll
    static void startServer() throws Exception {
        Path workDir = PayaraNodes.workDir("soak-");
        // a heartbeat a loaded 2-core machine keeps up with while it also runs the clients
        Path properties = PayaraNodes.properties(workDir, "soak.properties",
                "# SoakIT: churn from a dozen clients is not abuse\n"
                + "switchboard.chat.rate-limit.messages=1000\nswitchboard.data-dir=" + workDir.resolve("data") + "\n"
                + "switchboard.ping-interval=5000\nswitchboard.ping-timeout=5000\n");
        node = PayaraNodes.start(workDir, properties, 1, 3750, 3799, List.of("-Xmx384m", "-XX:TieredStopAtLevel=1", "-Xss512k"));
    }

    @Test
    void churnLeavesHeapThreadsFdsAndSessionsAtBaselineAndLosesNothing() throws Exception {
        long seconds = Long.getLong("soak.seconds", 60);
        runSoak(15); // warm-up: JIT, pools, caches, the database's first rooms
        Snapshot baseline = settledSnapshot();
        System.out.println("SoakIT baseline: " + baseline);

        runSoak(seconds);
        Snapshot after = settledSnapshot();
        System.out.println("SoakIT after " + seconds + " s: " + after);
        // Grizzly lets go of closed connections lazily (its idle-timeout queue holds each one up to the keep-alive
        // timeout, 30 s): right after the churn, thousands of closed TCPNIOConnections are still reachable. Measured
        // here: 2,562 held 10 s after a soak, 19 a minute later, the heap then below the baseline.
        long deadline = System.currentTimeMillis() + HEAP_SETTLE_MILLIS;
        while (after.heapBytes() > baseline.heapBytes() + HEAP_TOLERANCE_BYTES && System.currentTimeMillis() < deadline) {
            Thread.sleep(5_000);
            after = settledSnapshot();
            System.out.println("SoakIT settling: " + after);
        }

        assertThat(after.sessions()).as("Engine.IO sessions open after the soak").isEqualTo(baseline.sessions());
        assertThat(after.sockets()).as("sockets connected after the soak").isEqualTo(baseline.sockets());
        // a leak too small for the heap tolerance (a disconnected socket left in its rooms: ~100 bytes each)
        assertThat(after.rooms()).as("rooms with members after the soak").isEqualTo(baseline.rooms());
        assertThat(after.threads()).as("threads (baseline %d)", baseline.threads())
                .isLessThanOrEqualTo(baseline.threads() + THREAD_TOLERANCE);
        assertThat(after.fds()).as("open file descriptors (baseline %d)", baseline.fds())
                .isLessThanOrEqualTo(baseline.fds() + FD_TOLERANCE);
        assertThat(after.heapBytes()).as("heap used after GC (baseline %d)", baseline.heapBytes())
                .isLessThanOrEqualTo(baseline.heapBytes() + HEAP_TOLERANCE_BYTES);
    }

    private static void runSoak(long seconds) throws Exception {
        NodeProcess.Result r = NodeProcess.run(NodeProcess.clientsDir(), Map.of("SWITCHBOARD_URL", node.url(0),
                "SOAK_SECONDS", String.valueOf(seconds)), seconds + 120, "soak/soak.mjs");
        assertThat(r.finished()).as("soak.mjs finished").isTrue();
        assertThat(r.exitCode()).as("soak.mjs exit code; output:%n%s%nserver log tail:%n%s", r.output(),
                node.tails()).isZero();
    }

    /** Waits until no session is left (the heartbeat closes any the clients did not), then measures after GC. */
    private static Snapshot settledSnapshot() throws Exception {
        long deadline = System.currentTimeMillis() + 30_000;
        String metrics = metrics();
        while (gauge(metrics, "engineio_sessions_open") > 0 && System.currentTimeMillis() < deadline) {
            Thread.sleep(250);
            metrics = metrics();
        }
        Thread.sleep(1_000); // let closed connections' threads and descriptors go
        jcmd("GC.run");
        jcmd("GC.run");
        Matcher m = USED.matcher(jcmd("GC.heap_info"));
        assertThat(m.find()).isTrue();
        long heap = Long.parseLong(m.group(1)) * 1024;
        Path proc = Path.of("/proc", String.valueOf(node.pid(0)));
        int threads = Files.readAllLines(proc.resolve("status")).stream().filter(l -> l.startsWith("Threads:"))
                .mapToInt(l -> Integer.parseInt(l.substring(8).trim())).findFirst().orElseThrow();
        int fds;
        try (var list = Files.list(proc.resolve("fd"))) {
            fds = (int) list.count();
        }
        return new Snapshot(heap, threads, fds, gauge(metrics, "engineio_sessions_open"),
                gauge(metrics, "socketio_connected_clients"), gauge(metrics, "socketio_rooms"));
    }

    private static String jcmd(String command) throws Exception {
        Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
        Process p = new ProcessBuilder(jcmd.toString(), String.valueOf(node.pid(0)), command)
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return out;
    }

    private static String metrics() throws Exception {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(node.url(0) + "/metrics"))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(200);
        return r.body();
    }

    /** The sum of a gauge's series (all label sets). */
    private static double gauge(String scrape, String name) {
        double sum = 0;
        for (String line : scrape.split("\n")) {
            if (line.startsWith(name + " ") || line.startsWith(name + "{")) {
                sum += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1).trim());
            }
        }
        return sum;
    }
}
