package dev.switchboard.it.chat;

import dev.switchboard.it.Deployments;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.extension.ExtendWith;

import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The operator's endpoints against the deployed WAR (chat configuration, H2): health (/health/live, /health/ready
 * with the chat database), request ids, and /metrics counters moving with real traffic: a chat client speaking raw
 * Engine.IO long-polling frames over java.net.http (connect with a dev token, post, retry the same message_id,
 * send an invalid post, close).
 */
@EnabledIfSystemProperty(named = "switchboard.itProperties", matches = ".*chat\\.properties",
        disabledReason = "needs the chat server configuration (failsafe's chat execution)")
@ExtendWith(ArquillianExtension.class)
class OperationsIT {
    private static final Pattern SID = Pattern.compile("\"sid\":\"([^\"]+)\"");
    private static final Pattern TOKEN = Pattern.compile("\"token\":\"([^\"]+)\"");

    @Deployment(testable = false)
    static WebArchive war() {
        return Deployments.builtWar();
    }

    @ArquillianResource
    URL base;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @Test
    void healthEndpointsReportUpWithTheDatabase() throws Exception {
        HttpResponse<String> ready = get("health/ready");
        assertThat(ready.statusCode()).as(ready.body()).isEqualTo(200);
        assertThat(ready.body()).contains("\"status\":\"UP\"").contains("chat-database").contains("switchboard-engine");
        HttpResponse<String> live = get("health/live");
        assertThat(live.statusCode()).as(live.body()).isEqualTo(200);
        assertThat(live.body()).contains("\"status\":\"UP\"").contains("switchboard-live");
        HttpResponse<String> all = get("health");
        assertThat(all.statusCode()).isEqualTo(200);
        assertThat(all.body()).contains("chat-database").contains("switchboard-live");
    }

    @Test
    void requestIdsAreReturnedOrGenerated() throws Exception {
        HttpResponse<String> mine = http.send(HttpRequest.newBuilder(uri("health/live"))
                .header("X-Request-Id", "ops-it-42").timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(mine.headers().firstValue("X-Request-Id")).contains("ops-it-42");
        HttpResponse<String> generated = get("api/rooms");
        assertThat(generated.headers().firstValue("X-Request-Id")).isPresent().get().asString().hasSizeGreaterThan(8);
    }

    @Test
    void metricsMoveWithTraffic() throws Exception {
        String before = scrape();
        HttpResponse<String> tokenReply = post("api/dev/token", "{\"user\":\"ops-" + UUID.randomUUID().toString()
                .substring(0, 8) + "\"}", "application/json");
        assertThat(tokenReply.statusCode()).as(tokenReply.body()).isEqualTo(200);
        Matcher t = TOKEN.matcher(tokenReply.body());
        assertThat(t.find()).isTrue();

        HttpResponse<String> open = get("socket.io/?EIO=4&transport=polling");
        assertThat(open.statusCode()).isEqualTo(200);
        Matcher m = SID.matcher(open.body());
        assertThat(m.find()).as(open.body()).isTrue();
        String path = "socket.io/?EIO=4&transport=polling&sid=" + m.group(1);

        assertThat(post(path, "40{\"token\":\"" + t.group(1) + "\"}", "text/plain").body()).isEqualTo("ok");
        assertThat(pollUntil(path, "40{")).contains("40{");
        String messageId = "ops-" + UUID.randomUUID();
        String chat = "[\"chat_message\",{\"room\":\"general\",\"text\":\"hello operators\",\"message_id\":\""
                + messageId + "\"}]";
        post(path, "421" + chat, "text/plain");
        assertThat(pollUntil(path, "431[")).contains("431[");
        post(path, "422" + chat, "text/plain"); // the client's retry: a dedup hit
        assertThat(pollUntil(path, "432[")).contains("432[");
        post(path, "423[\"chat_message\",{\"room\":\"general\"}]", "text/plain"); // no text: refused
        assertThat(pollUntil(path, "433[")).contains("error");

        String during = scrape();
        assertThat(value(during, "socketio_connected_clients{namespace=\"/\",transport=\"polling\"}"))
                .isGreaterThanOrEqualTo(1);
        post(path, "1", "text/plain"); // close

        String after = scrape();
        assertMoved(before, after, "socketio_connections_total{namespace=\"/\"}", 1);
        assertMoved(before, after, "socketio_messages_received_total{namespace=\"/\"}", 3);
        assertMoved(before, after, "engineio_sessions_opened_total{transport=\"polling\"}", 1);
        assertMoved(before, after, "chat_messages_persisted_total", 1);
        assertMoved(before, after, "chat_dedup_hits_total", 1);
        assertMoved(before, after, "chat_persistence_duration_seconds_count", 2);
        assertMoved(before, after, "socketio_broadcasts_total{namespace=\"/\"}", 1);
        assertMoved(before, after, "socketio_disconnects_total{namespace=\"/\",reason=\"transport close\"}", 1);
        assertThat(after).containsPattern("(?m)^socketio_errors_total\\{code=\"[A-Z_]+\"} [1-9]");
        assertThat(after).contains("# TYPE chat_persistence_duration_seconds histogram")
                .contains("chat_persistence_duration_seconds_bucket{le=\"+Inf\"}")
                .contains("# TYPE engineio_polling_requests_held gauge")
                .contains("switchboard_draining 0");
    }

    private void assertMoved(String before, String after, String series, double atLeast) {
        assertThat(value(after, series) - value(before, series)).as("%s moved by%n%s", series, after)
                .isGreaterThanOrEqualTo(atLeast);
    }

    private static double value(String scrape, String series) {
        for (String line : scrape.split("\n")) {
            if (line.startsWith(series + " ")) {
                return Double.parseDouble(line.substring(series.length() + 1).trim());
            }
        }
        return 0;
    }

    private String scrape() throws Exception {
        HttpResponse<String> r = get("metrics");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type")).get().asString().startsWith("text/plain; version=0.0.4");
        return r.body();
    }

    /** GETs (long-polls) until the payload so far contains the marker, for at most 10 s. */
    private String pollUntil(String path, String marker) throws Exception {
        StringBuilder seen = new StringBuilder();
        long deadline = System.currentTimeMillis() + 10_000;
        while (System.currentTimeMillis() < deadline) {
            HttpResponse<String> r = get(path);
            assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
            for (String packet : r.body().split("\u001e")) {
                if (packet.equals("2")) {
                    post(path, "3", "text/plain"); // answer the heartbeat
                }
                seen.append(packet).append('\n');
            }
            if (seen.indexOf(marker) >= 0) {
                return seen.toString();
            }
        }
        return seen.toString();
    }

    private HttpResponse<String> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> post(String path, String body, String type) throws Exception {
        return http.send(HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(10))
                .header("Content-Type", type).POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private URI uri(String path) {
        return URI.create(base.toString().replaceAll("/+$", "") + "/" + path);
    }
}
