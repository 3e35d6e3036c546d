package dev.switchboard.it.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.tools.attach.VirtualMachine;
import dev.switchboard.it.PayaraNodes;
import java.io.IOException;
import java.net.InetSocketAddress;
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
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.management.MBeanServerConnection;
import javax.management.ObjectName;
import javax.management.remote.JMXConnector;
import javax.management.remote.JMXConnectorFactory;
import javax.management.remote.JMXServiceURL;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.condition.DisabledIfSystemProperty;

/**
 * One Payara Micro node (the chat configuration, H2, JSON logs) with the Redis adapter on a PRIVATE redis-server this
 * test starts, stops and starts again (never the shared one): readiness follows the Redis subscriber while liveness
 * stays UP and local clients are still served, and the Redis metrics move (publishes, publish failures, reconnects).
 * The same node checks the JSON logs: request-id and sid correlation, no token or message text at INFO and above,
 * and protocol debug logging switched on for one logger at run time through the JVM's logging MBean.
 */
@DisabledIfSystemProperty(named = "switchboard.itProperties", matches = ".+",
        disabledReason = "starts its own node: only in failsafe's cluster execution (it sets no itProperties)")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RedisHealthIT {
    private static final int REDIS_PORT = Integer.getInteger("redis.health.port", 3871);
    private static final Pattern SID = Pattern.compile("\"sid\":\"([^\"]+)\"");
    private static final Pattern TOKEN = Pattern.compile("\"token\":\"([^\"]+)\"");

    private static PayaraNodes nodes;
    private static Process redis;
    private static Path workDir;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @BeforeAll
    static void start() throws Exception {
        Path basedir = Path.of(System.getProperty("switchboard.basedir", "."));
        Path war = Path.of(System.getProperty("switchboard.war"));
        workDir = Files.createDirectories(war.getParent().resolve("redis-health-it"));
        redis = startRedis();
        Path properties = workDir.resolve("node.properties");
        String base = Files.readString(basedir.resolve("arquillian-tests/src/test/resources/chat.properties"));
        Files.writeString(properties, base + "\n# RedisHealthIT: the Redis adapter on a private redis-server, JSON logs\n"
                + "switchboard.adapter=redis\nswitchboard.redis.url=redis://127.0.0.1:" + REDIS_PORT + "\n"
                + "switchboard.redis.key-prefix=sbhealth-" + UUID.randomUUID().toString().substring(0, 8) + "\n"
                + "switchboard.log.format=json\n"
                + "# clients that wait out the outage without polling keep their sessions\n"
                + "switchboard.ping-interval=20000\nswitchboard.ping-timeout=60000\n");
        nodes = PayaraNodes.start(workDir, properties, 1, 3850, 3869,
                List.of("-Xmx400m", "-XX:TieredStopAtLevel=1", "-Xss512k"));
    }

    @AfterAll
    static void stop() throws InterruptedException {
        if (nodes != null) {
            nodes.close();
        }
        if (redis != null) {
            redis.destroy();
            redis.waitFor(10, TimeUnit.SECONDS);
        }
    }

    @Test
    @Order(1)
    void jsonLogsCorrelateRequestsAndProtocolDebugSwitchesOnAtRunTime() throws Exception {
        String requestId = "h3-corr-" + UUID.randomUUID().toString().substring(0, 8);
        assertThat(logLines(l -> l.contains("\"level\":\"DEBUG\"") && l.contains("dev.switchboard.engineio")))
                .as("no engine debug lines before they are switched on").isEmpty();
        setLogLevel("dev.switchboard.engineio.EngineSession", "FINE");

        String text = "secret text " + UUID.randomUUID();
        Chat chat = new Chat(requestId);
        String token = chat.token("ops-log");
        chat.connect(token);
        assertThat(chat.send(text, 1)).doesNotContain("error");
        chat.close();

        List<String> sessionLines = awaitLogLines(l -> l.contains("\"request_id\":\"" + requestId + "\"")
                && l.contains("\"sid\":\"" + chat.sid + "\"") && l.contains("closed"));
        assertThat(sessionLines).as("the close of the session is logged with the client's request id and sid")
                .isNotEmpty();
        assertThat(sessionLines.get(0)).contains("\"level\":\"DEBUG\"").contains("\"logger\":\"dev.switchboard.engineio");
        for (String line : logLines(l -> l.startsWith("{"))) {
            if (!line.contains("\"level\":\"DEBUG\"") && !line.contains("\"level\":\"TRACE\"")) {
                assertThat(line).as("no token or message text above DEBUG").doesNotContain(token).doesNotContain(text);
            }
        }
        setLogLevel("dev.switchboard.engineio.EngineSession", "INFO");
    }

    @Test
    @Order(2)
    void readinessFollowsRedisWhileLivenessAndLocalClientsStay() throws Exception {
        HttpResponse<String> ready = get("health/ready");
        assertThat(ready.statusCode()).as(ready.body()).isEqualTo(200);
        assertThat(ready.body()).contains("\"name\":\"switchboard-redis\",\"status\":\"UP\"");
        String before = scrape();
        assertThat(before).contains("switchboard_redis_connected 1");
        assertThat(value(before, "switchboard_cluster_messages_published_total")).isPositive(); // heartbeats at least

        Chat local = new Chat("h3-redis");
        local.connect(local.token("ops-redis"));

        redis.destroy();
        assertThat(redis.waitFor(20, TimeUnit.SECONDS)).isTrue();
        HttpResponse<String> down = awaitStatus("health/ready", 503, Duration.ofSeconds(60));
        assertThat(down.body()).contains("\"name\":\"switchboard-redis\",\"status\":\"DOWN\"");
        HttpResponse<String> live = get("health/live");
        assertThat(live.statusCode()).as("liveness ignores Redis: %s", live.body()).isEqualTo(200);
        assertThat(local.send("while Redis is away", 1)).as("an already connected client is served").doesNotContain("error");
        Chat fresh = new Chat("h3-redis-new");
        fresh.connect(fresh.token("ops-redis-new"));
        assertThat(fresh.send("new client while Redis is away", 1)).doesNotContain("error");
        String during = scrape();
        // What the chat logs about these sockets while Redis is away carries the whole correlation: the HTTP request
        // id, the Engine.IO sid, the socket id and the user id.
        assertThat(awaitLogLines(l -> l.contains("\"request_id\":\"h3-redis") && l.contains("\"sid\":\"")
                && l.contains("\"socket_id\":\"") && l.contains("\"user_id\":\"ops-redis")))
                .as("log lines of a socket event carry request_id, sid, socket_id and user_id").isNotEmpty();
        assertThat(during).contains("switchboard_redis_connected 0");
        assertThat(value(during, "switchboard_cluster_publish_failures_total"))
                .as("the broadcasts could not be published").isGreaterThan(value(before, "switchboard_cluster_publish_failures_total"));

        redis = startRedis();
        HttpResponse<String> up = awaitStatus("health/ready", 200, Duration.ofSeconds(60));
        assertThat(up.body()).contains("\"name\":\"switchboard-redis\",\"status\":\"UP\"");
        String after = scrape();
        assertThat(after).contains("switchboard_redis_connected 1");
        assertThat(value(after, "switchboard_redis_reconnects_total")).isGreaterThan(value(before, "switchboard_redis_reconnects_total"));
        // Publishing resumes with the first message (the publisher's pool is replaced when Redis comes back: its old
        // connections died with Redis and would each have failed once).
        double failuresBefore = value(after, "switchboard_cluster_publish_failures_total");
        double publishedBefore = value(after, "switchboard_cluster_messages_published_total");
        assertThat(local.send("Redis is back", 2)).doesNotContain("error");
        String resumed = scrape();
        assertThat(value(resumed, "switchboard_cluster_messages_published_total")).as("publishing resumed")
                .isGreaterThan(publishedBefore);
        assertThat(value(resumed, "switchboard_cluster_publish_failures_total")).as("no publish failed after the return")
                .isEqualTo(failuresBefore);
        local.close();
        fresh.close();
    }

    // ---- the private Redis ----

    private static Process startRedis() throws IOException, InterruptedException {
        Process p = new ProcessBuilder("redis-server", "--port", String.valueOf(REDIS_PORT), "--bind", "127.0.0.1",
                "--save", "", "--appendonly", "no").redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(workDir.resolve("redis.log").toFile())).start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (System.nanoTime() < deadline) {
            try (java.net.Socket s = new java.net.Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", REDIS_PORT), 500);
                return p;
            } catch (IOException e) {
                if (!p.isAlive()) {
                    throw new IllegalStateException("redis-server on port " + REDIS_PORT + " exited; see "
                            + workDir.resolve("redis.log"));
                }
                Thread.sleep(200);
            }
        }
        p.destroyForcibly();
        throw new IllegalStateException("redis-server on port " + REDIS_PORT + " did not start");
    }

    // ---- logs ----

    /** Sets a java.util.logging level in the node's JVM while it runs (attach API, local JMX, LoggingMXBean). */
    private static void setLogLevel(String logger, String level) throws Exception {
        VirtualMachine vm = VirtualMachine.attach(String.valueOf(nodes.pid(0)));
        try {
            String address = vm.startLocalManagementAgent();
            try (JMXConnector jmx = JMXConnectorFactory.connect(new JMXServiceURL(address))) {
                MBeanServerConnection server = jmx.getMBeanServerConnection();
                server.invoke(new ObjectName("java.util.logging:type=Logging"), "setLoggerLevel",
                        new Object[] {logger, level}, new String[] {String.class.getName(), String.class.getName()});
            }
        } finally {
            vm.detach();
        }
    }

    private static List<String> logLines(Predicate<String> filter) throws IOException {
        List<String> out = new ArrayList<>();
        try (var stream = Files.list(workDir)) {
            for (Path log : stream.filter(p -> p.getFileName().toString().startsWith("node-")).toList()) {
                for (String line : Files.readAllLines(log, StandardCharsets.UTF_8)) {
                    if (filter.test(line)) {
                        out.add(line);
                    }
                }
            }
        }
        return out;
    }

    private static List<String> awaitLogLines(Predicate<String> filter) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        List<String> lines = logLines(filter);
        while (lines.isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(250);
            lines = logLines(filter);
        }
        return lines;
    }

    // ---- HTTP ----

    private HttpResponse<String> awaitStatus(String path, int status, Duration within) throws Exception {
        long deadline = System.nanoTime() + within.toNanos();
        HttpResponse<String> r = get(path);
        while (r.statusCode() != status && System.nanoTime() < deadline) {
            Thread.sleep(250);
            r = get(path);
        }
        assertThat(r.statusCode()).as("%s within %s: %s%n%s", path, within, r.body(), nodes.tails()).isEqualTo(status);
        return r;
    }

    private String scrape() throws Exception {
        HttpResponse<String> r = get("metrics");
        assertThat(r.statusCode()).isEqualTo(200);
        return r.body();
    }

    private static double value(String scrape, String series) {
        for (String line : scrape.split("\n")) {
            if (line.startsWith(series + " ")) {
                return Double.parseDouble(line.substring(series.length() + 1).trim());
            }
        }
        return 0;
    }

    private HttpResponse<String> get(String path) throws Exception {
        return exchange(HttpRequest.newBuilder(uri(path)).GET(), null);
    }

    private HttpResponse<String> exchange(HttpRequest.Builder request, String requestId) throws Exception {
        if (requestId != null) {
            request.header("X-Request-Id", requestId);
        }
        return http.send(request.timeout(Duration.ofSeconds(15)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static URI uri(String path) {
        return URI.create(nodes.url(0) + "/" + path);
    }

    /** A chat client speaking raw Engine.IO long-polling frames; every request carries the same X-Request-Id. */
    private final class Chat {
        final String requestId;
        String sid;
        String path;

        Chat(String requestId) {
            this.requestId = requestId;
        }

        String token(String user) throws Exception {
            HttpResponse<String> r = post("api/dev/token", "{\"user\":\"" + user + "\"}", "application/json");
            assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
            Matcher t = TOKEN.matcher(r.body());
            assertThat(t.find()).isTrue();
            return t.group(1);
        }

        void connect(String token) throws Exception {
            HttpResponse<String> open = exchange(HttpRequest.newBuilder(uri("socket.io/?EIO=4&transport=polling")), requestId);
            assertThat(open.statusCode()).as(open.body()).isEqualTo(200);
            Matcher m = SID.matcher(open.body());
            assertThat(m.find()).as(open.body()).isTrue();
            sid = m.group(1);
            path = "socket.io/?EIO=4&transport=polling&sid=" + sid;
            assertThat(post(path, "40{\"token\":\"" + token + "\"}", "text/plain").body()).isEqualTo("ok");
            assertThat(pollUntil("40{")).contains("40{");
        }

        /** Posts a chat message with this ack id and returns what the poll saw up to its ack. */
        String send(String text, int ackId) throws Exception {
            post(path, "42" + ackId + "[\"chat_message\",{\"room\":\"general\",\"text\":\"" + text
                    + "\",\"message_id\":\"" + UUID.randomUUID() + "\"}]", "text/plain");
            String seen = pollUntil("43" + ackId + "[");
            assertThat(seen).contains("43" + ackId + "[");
            return seen.substring(seen.indexOf("43" + ackId + "["));
        }

        void close() throws Exception {
            post(path, "1", "text/plain");
        }

        private String pollUntil(String marker) throws Exception {
            StringBuilder seen = new StringBuilder();
            long deadline = System.currentTimeMillis() + 15_000;
            while (System.currentTimeMillis() < deadline) {
                HttpResponse<String> r = exchange(HttpRequest.newBuilder(uri(path)), requestId);
                assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
                for (String packet : r.body().split("\u001e")) {
                    if (packet.equals("2")) {
                        post(path, "3", "text/plain");
                    }
                    seen.append(packet).append('\n');
                }
                if (seen.indexOf(marker) >= 0) {
                    break;
                }
            }
            return seen.toString();
        }

        private HttpResponse<String> post(String p, String body, String type) throws Exception {
            return exchange(HttpRequest.newBuilder(uri(p)).header("Content-Type", type)
                    .POST(HttpRequest.BodyPublishers.ofString(body)), requestId);
        }
    }
}
