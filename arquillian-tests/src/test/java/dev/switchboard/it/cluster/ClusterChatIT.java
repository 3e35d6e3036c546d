package dev.switchboard.it.cluster;

import dev.switchboard.it.NodeProcess;
import dev.switchboard.it.PayaraNodes;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.DisabledIfSystemProperty;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The chat across two Payara Micro nodes (own processes, ports 3600-3649) with the default chat profile, the Redis
 * adapter on the Redis at 127.0.0.1:6379 (a key prefix of this run), one fresh PostgreSQL database created for the
 * run and dropped after it, and one development-issuer key pair (one data folder) so that a token works on both.
 * The npm socket.io-client (arquillian-tests/node/cluster/chat.test.mjs) checks cluster-wide presence, dedup of a
 * retry that lands on the other node, and the per-user rate limit across nodes ({@code rate-limit.scope=user}).
 * Plain JUnit: Arquillian starts one server per class.
 */
@DisabledIfSystemProperty(named = "switchboard.itProperties", matches = ".+",
        disabledReason = "starts its own nodes: runs in failsafe's cluster execution, which sets no server properties")
class ClusterChatIT {
    private static final String ADMIN_URL = "jdbc:postgresql://127.0.0.1:5432/test";
    private static final long NODE_TEST_SECONDS = 150;

    private static PayaraNodes nodes;
    private static String database;

    @BeforeAll
    static void startNodes() throws Exception {
        Path war = Path.of(System.getProperty("switchboard.war"));
        Path workDir = Files.createDirectories(war.getParent().resolve("cluster-chat-it"));
        String run = UUID.randomUUID().toString().substring(0, 8);
        database = "sbit_chat_" + run;
        try (Connection c = DriverManager.getConnection(ADMIN_URL, "postgres", "postgres");
             Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE " + database);
        }
        Path properties = workDir.resolve("cluster-chat.properties");
        Files.writeString(properties, String.join("\n",
                "# ClusterChatIT: the default (chat) profile on two nodes sharing Redis, PostgreSQL and the dev issuer",
                "switchboard.profile=default",
                // relaxed heartbeat: a busy 2-core machine must not close sessions mid-test
                "switchboard.ping-interval=5000",
                "switchboard.ping-timeout=20000",
                "switchboard.db.class=org.postgresql.ds.PGSimpleDataSource",
                "switchboard.db.url=jdbc:postgresql://127.0.0.1:5432/" + database,
                "switchboard.db.user=postgres",
                "switchboard.db.password=postgres",
                "switchboard.data-dir=" + workDir.resolve("data-" + run),
                "switchboard.adapter=redis",
                "switchboard.redis.url=redis://127.0.0.1:6379",
                "switchboard.redis.key-prefix=sbit-chat-" + run,
                "switchboard.redis.request-timeout=3000",
                "switchboard.chat.dedup.ttl-ms=600000",
                // per user across nodes, over a window long enough for a loaded machine to send five
                "switchboard.chat.rate-limit.scope=user",
                "switchboard.chat.rate-limit.messages=5",
                "switchboard.chat.rate-limit.window-ms=5000",
                // the Jakarta WebSocket endpoint (Tyrus) and the polling servlet, which serve where the Grizzly
                // transports cannot: kept tested
                "switchboard.websocket.server=jakarta",
                "switchboard.polling.server=servlet",
                ""));
        nodes = PayaraNodes.start(workDir, properties, 2, 3600, 3649, PayaraNodes.defaultJvmOptions());
    }

    @AfterAll
    static void stopNodes() throws Exception {
        try {
            if (nodes != null) {
                nodes.close();
            }
        } finally {
            if (database != null) {
                try (Connection c = DriverManager.getConnection(ADMIN_URL, "postgres", "postgres");
                     Statement s = c.createStatement()) {
                    s.execute("DROP DATABASE IF EXISTS " + database + " WITH (FORCE)");
                } catch (SQLException e) {
                    System.err.println("could not drop " + database + ": " + e.getMessage());
                }
            }
        }
    }

    @Test
    void theServletServesPollingRoundTripsAndRefusesOversizedBodies() throws Exception {
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5)).build();
        for (String url : nodes.urls()) {
            String polling = url + "/socket.io/?EIO=4&transport=polling";
            String open = send(http, HttpRequest.newBuilder(URI.create(polling))).body();
            assertThat(open).startsWith("0{\"sid\":");
            String sid = open.replaceAll(".*\"sid\":\"([^\"]+)\".*", "$1");
            assertThat(send(http, HttpRequest.newBuilder(URI.create(polling + "&sid=" + sid))
                    .POST(HttpRequest.BodyPublishers.ofString("40"))).body()).isEqualTo("ok");
            // the CONNECT's answer (accepted or, without a token, refused) on the next GET
            assertThat(send(http, HttpRequest.newBuilder(URI.create(polling + "&sid=" + sid))).body())
                    .matches("4[04]\\{.*");
            HttpResponse<String> big = send(http, HttpRequest.newBuilder(URI.create(polling + "&sid=" + sid))
                    .POST(HttpRequest.BodyPublishers.ofString("4" + "x".repeat(2_000_000))));
            assertThat(big.statusCode()).isEqualTo(413);
        }
    }

    private static HttpResponse<String> send(HttpClient http, HttpRequest.Builder request) throws Exception {
        return http.send(request.timeout(Duration.ofSeconds(20)).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void presenceDedupAndUserRateLimitsHoldAcrossNodes() throws Exception {
        NodeProcess.Result r = NodeProcess.run(NodeProcess.clientsDir(),
                Map.of("SWITCHBOARD_URLS", String.join(",", nodes.urls()), "RATE_SCOPE", "user"),
                NODE_TEST_SECONDS, "--test", "--test-reporter=spec", "cluster/chat.test.mjs");
        assertThat(r.finished()).as("node --test cluster/chat.test.mjs finished within %d s; nodes:%n%s",
                NODE_TEST_SECONDS, nodes.tails()).isTrue();
        assertThat(r.exitCode()).as("node --test cluster/chat.test.mjs exit code; output:%n%s%nnodes:%n%s",
                r.output(), nodes.tails()).isZero();
        for (int i = 0; i < 2; i++) {
            assertThat(java.nio.file.Files.readString(nodes.log(i))).as("node %d's log", i)
                    .contains("WebSocket upgrades served by the Jakarta WebSocket endpoint")
                    .contains("Polling requests served by the servlet container")
                    .doesNotContain("served on Grizzly")
                    .doesNotContain("WebSocket text frames go through sendText");
        }
    }
}
