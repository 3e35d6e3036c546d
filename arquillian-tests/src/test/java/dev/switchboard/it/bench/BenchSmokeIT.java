package dev.switchboard.it.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.it.NodeProcess;
import dev.switchboard.it.PayaraNodes;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The benchmark's smoke run in CI (a benchmark run never is): bench/smoke.sh, the real generator with the npm
 * socket.io-client, against the WAR's bench profile on Payara Micro and against the Node reference server, a few
 * seconds each; then compare.js puts the two side by side. What a user of bench/run.sh relies on: both servers
 * conform to the bench protocol (shared/bench/PROTOCOL.md), every scenario runs over both transports with nothing
 * lost or duplicated, and the server's CPU is read from /proc for the ratios. Ports 3920-3939.
 */
@EnabledIfSystemProperty(named = "switchboard.itProperties", matches = ".*interop\\.properties",
        disabledReason = "runs in failsafe's protocol execution")
class BenchSmokeIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final File ROOT = new File(System.getProperty("switchboard.basedir", "."));

    @AutoClose
    private static PayaraNodes node;
    private static Path workDir;

    @BeforeAll
    static void start() throws Exception {
        workDir = PayaraNodes.workDir("bench-smoke-");
        // the profile run.sh uses, unchanged
        node = PayaraNodes.start(workDir, ROOT.toPath().resolve("payara/profiles/bench.properties"), 1, 3920, 3929,
                PayaraNodes.defaultJvmOptions());
    }

    @Test
    void switchboardPassesTheSmokeRun() throws Exception {
        JsonNode result = smoke(node.url(0), node.pid(0), workDir.resolve("switchboard.json"));
        assertMeasured(result);
    }

    @Test
    void theReferenceServerPassesTheSameSmokeRunAndTheTwoCompare() throws Exception {
        Path sbJson = workDir.resolve("switchboard-for-compare.json");
        assertMeasured(smoke(node.url(0), node.pid(0), sbJson));

        File reference = new File(ROOT, "bench/reference-server");
        if (!new File(reference, "node_modules/socket.io").isDirectory()) {
            NodeProcess.Result install = NodeProcess.command(reference, Map.of(), 300,
                    "npm", "ci", "--no-audit", "--no-fund", "--loglevel=error");
            assertThat(install.exitCode()).as("npm ci in bench/reference-server:\n%s", install.output()).isZero();
        }
        int port = PayaraNodes.freePort(3930, 3939);
        Path refLog = workDir.resolve("reference.log");
        ProcessBuilder pb = new ProcessBuilder("node", "server.js").directory(reference).redirectErrorStream(true)
                .redirectOutput(refLog.toFile());
        pb.environment().put("PORT", String.valueOf(port));
        Process server = pb.start(); // node runs server.js itself: its pid is the server's, for the /proc readings
        Path refJson = workDir.resolve("reference.json");
        try {
            awaitHandshake("http://127.0.0.1:" + port, server, refLog);
            assertMeasured(smoke("http://127.0.0.1:" + port, server.pid(), refJson));
        } finally {
            server.destroy();
            if (!server.waitFor(10, TimeUnit.SECONDS)) {
                server.destroyForcibly();
            }
        }

        NodeProcess.Result table = NodeProcess.run(new File(ROOT, "bench"), Map.of(), 60, "compare.js",
                sbJson.toString(), refJson.toString());
        assertThat(table.exitCode()).as(table.output()).isZero();
        // one row per figure and transport, a number on both sides and a ratio (– when the reference's reading is 0)
        assertThat(table.output())
                .containsPattern("\\| websocket \\| fanout \\| server CPU per 1,000 deliveries \\(ms\\) \\| [0-9.]+ \\| [0-9.]+ \\| [0-9.–]+ \\|")
                .containsPattern("\\| polling \\| echo \\| server CPU per 1,000 acks \\(ms\\) \\| [0-9.]+ \\| [0-9.]+ \\| [0-9.–]+ \\|")
                .containsPattern("\\| websocket \\| fanout \\| lost deliveries \\| 0 \\| 0 \\| 1 \\|");
    }

    @Test
    void badOptionsAreRefusedWithAClearErrorBeforeAnythingStarts() throws Exception {
        String[][] cases = {
                {"bash", "bench/run.sh", "--rounds", "0"}, {"bash", "bench/run.sh", "--rounds", "three"},
                // through smoke.sh, which installs the generator's npm packages first (this may run before the rest)
                {"bash", "bench/smoke.sh", "http://127.0.0.1:1", "--warmup-rate", "0"},
                {"bash", "bench/smoke.sh", "http://127.0.0.1:1", "--warmup-rate", "-5"},
                {"node", "bench/compare.js", "a.json,b.json", "c.json"}};
        String[] messages = {"--rounds must be 1 to 9, got 0", "expected a whole number, got 'three'",
                "--warmup-rate must be > 0", "--warmup-rate needs a number, got '-5'",
                "2 Switchboard rounds against 1 reference rounds"};
        for (int i = 0; i < cases.length; i++) {
            NodeProcess.Result r = NodeProcess.command(ROOT, Map.of(), 300, cases[i]);
            assertThat(r.exitCode()).as("%s:\n%s", String.join(" ", cases[i]), r.output()).isEqualTo(2);
            assertThat(r.output()).as(String.join(" ", cases[i])).contains(messages[i]);
        }
        assertThat(node.isAlive(0)).as("the server is untouched").isTrue();
    }

    /** bench/smoke.sh as a user runs it, with the server's pid for the /proc readings; its JSON. */
    private static JsonNode smoke(String url, long pid, Path json) throws IOException, InterruptedException {
        NodeProcess.Result r = NodeProcess.command(ROOT, Map.of(), 240, "bash", "bench/smoke.sh", url,
                "--pid", String.valueOf(pid), "--json", json.toString());
        assertThat(r.finished()).as("smoke.sh finished within 240 s:\n%s", r.output()).isTrue();
        assertThat(r.exitCode()).as("smoke.sh exit code (4 nonconforming, 3 lost or failed):\n%s", r.output()).isZero();
        return JSON.readTree(json.toFile());
    }

    private static void assertMeasured(JsonNode out) {
        for (String t : new String[] {"websocket", "polling"}) {
            JsonNode conformance = out.path("conformance").path(t);
            assertThat(conformance.path("passed").asInt()).as("%s conformance checks passed", t).isPositive();
            assertThat(conformance.path("failed").asInt()).as("%s conformance checks failed", t).isZero();

            JsonNode r = out.path("results").path(t);
            assertThat(r.path("connect").path("failures").asInt(-1)).as("%s connect failures", t).isZero();
            JsonNode fanout = r.path("fanout");
            assertThat(fanout.path("delivered").asLong()).as("%s fanout deliveries: %s", t, fanout).isPositive();
            assertThat(fanout.path("lost").asLong(-1)).as("%s fanout lost", t).isZero();
            assertThat(fanout.path("duplicates").asLong(-1)).as("%s fanout duplicates", t).isZero();
            // a number, not null: the /proc reading worked (a few hundred deliveries can take under one clock tick)
            assertThat(fanout.path("serverCpuMsPer1kDeliveries").isNumber()).as("%s server CPU read from /proc: %s", t,
                    fanout).isTrue();
            JsonNode echo = r.path("echo");
            assertThat(echo.path("acks").asLong()).as("%s echo acks", t).isPositive();
            assertThat(echo.path("errors").asLong(-1) + echo.path("mismatches").asLong(-1)).as("%s echo errors", t)
                    .isZero();
            assertThat(echo.path("serverCpuMsPer1kAcks").isNumber()).as("%s server CPU per ack: %s", t, echo).isTrue();
        }
    }

    private static void awaitHandshake(String url, Process server, Path log) throws Exception {
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(2)).build();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (true) {
            assertThat(server.isAlive()).as("reference server exited: %s", Files.readString(log)).isTrue();
            try {
                HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url + "/socket.io/?EIO=4&transport=polling"))
                        .timeout(Duration.ofSeconds(3)).build(), HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            }
            assertThat(System.nanoTime()).as("reference server ready within 60 s: %s", Files.readString(log))
                    .isLessThan(deadline);
            Thread.sleep(200);
        }
    }
}
