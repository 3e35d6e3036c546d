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
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The operator's endpoints against the deployed WAR (chat configuration, H2): health (/health/live, /health/ready
 * with the chat database), request ids, and /metrics counters moving with real traffic: a chat client speaking raw
 * Engine.IO long-polling frames over java.net.http (connect with a dev token, post, retry the same message_id,
 * send an invalid post, close), then a second client that upgrades to WebSocket, holds a poll and trips the rate
 * limit. The Redis families (switchboard_redis_*, switchboard_cluster_*) are checked by it.cluster.RedisHealthIT,
 * the drain and send-queue families by the tests of those features.
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
        assertMoved(before, after, "socketio_broadcast_recipients_count", 1);
        assertMoved(before, after, "socketio_disconnects_total{namespace=\"/\",reason=\"transport close\"}", 1);
        assertThat(after).containsPattern("(?m)^socketio_errors_total\\{code=\"[A-Z_]+\"} [1-9]");
        assertThat(after).contains("# TYPE chat_persistence_duration_seconds histogram")
                .contains("chat_persistence_duration_seconds_bucket{le=\"+Inf\"}")
                .contains("# TYPE engineio_polling_requests_held gauge")
                .contains("switchboard_draining 0")
                // label-less counters are exposed from the start (0 until the first event)
                .containsPattern("(?m)^socketio_acks_timed_out_total \\d+$")
                .containsPattern("(?m)^socketio_events_dropped_draining_total \\d+$");
    }

    @Test
    void upgradesHeldPollsRateLimitsAndSentMessagesMoveTheirFamilies() throws Exception {
        String before = scrape();
        String token = token("ops2-" + UUID.randomUUID().toString().substring(0, 8));

        // a second client polls like socket.io-client (a GET always pending, pings answered at once), so a slow
        // CONNECT or burst on a loaded machine cannot miss the 1 s pong deadline; its pending GET shows in the gauge
        HttpResponse<String> first = get("socket.io/?EIO=4&transport=polling");
        Matcher sid = SID.matcher(first.body());
        assertThat(sid.find()).as(first.body()).isTrue();
        String polling = "socket.io/?EIO=4&transport=polling&sid=" + sid.group(1);
        StringBuffer received = new StringBuffer();
        Thread poller = Thread.ofVirtual().start(() -> {
            try {
                while (!Thread.currentThread().isInterrupted()) {
                    HttpResponse<String> r = get(polling);
                    if (r.statusCode() != 200) {
                        received.append("status ").append(r.statusCode()).append(' ').append(r.body()).append('\n');
                        return;
                    }
                    for (String packet : r.body().split("\u001e")) {
                        if (packet.equals("2")) {
                            post(polling, "3", "text/plain");
                        } else if (packet.equals("1")) {
                            return;
                        }
                        received.append(packet).append('\n');
                    }
                }
            } catch (Exception e) {
                received.append("poller stopped: ").append(e).append('\n');
            }
        });
        assertThat(post(polling, "40{\"token\":\"" + token + "\"}", "text/plain").body()).isEqualTo("ok");
        awaitReceived(received, "40{");
        double held = 0;
        long heldDeadline = System.currentTimeMillis() + 10_000;
        while (held < 1 && System.currentTimeMillis() < heldDeadline) {
            held = value(scrape(), "engineio_polling_requests_held");
            Thread.sleep(100);
        }
        assertThat(held).as("a GET held open by the server shows in engineio_polling_requests_held (poller alive: %s, "
                + "received: %s)", poller.isAlive(), received).isGreaterThanOrEqualTo(1);

        // more chat messages in one payload than the rate limit allows (5 per second by default)
        StringBuilder burst = new StringBuilder();
        for (int i = 0; i < 8; i++) {
            burst.append(i == 0 ? "" : "\u001e").append("42").append(10 + i)
                    .append("[\"chat_message\",{\"room\":\"general\",\"text\":\"burst ").append(i)
                    .append("\",\"message_id\":\"").append(UUID.randomUUID()).append("\"}]");
        }
        assertThat(post(polling, burst.toString(), "text/plain").body()).isEqualTo("ok");
        awaitReceived(received, "RATE_LIMITED");
        post(polling, "1", "text/plain");
        poller.join(15_000);

        // a third client upgrades from polling to WebSocket (the probe, then the upgrade packet)
        HttpResponse<String> open = get("socket.io/?EIO=4&transport=polling");
        Matcher m = SID.matcher(open.body());
        assertThat(m.find()).as(open.body()).isTrue();
        LinkedBlockingQueue<String> frames = new LinkedBlockingQueue<>();
        URI ws = URI.create(uri("socket.io/?EIO=4&transport=websocket&sid=" + m.group(1)).toString()
                .replaceFirst("^http", "ws"));
        WebSocket socket = http.newWebSocketBuilder().buildAsync(ws, new WebSocket.Listener() {
            @Override
            public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
                if (data.toString().equals("2")) {
                    webSocket.sendText("3", true); // the heartbeat, once upgraded
                }
                frames.add(data.toString());
                webSocket.request(1);
                return null;
            }
        }).get(10, TimeUnit.SECONDS);
        socket.sendText("2probe", true).get(10, TimeUnit.SECONDS);
        assertThat(frames.poll(10, TimeUnit.SECONDS)).isEqualTo("3probe");
        socket.sendText("5", true).get(10, TimeUnit.SECONDS);
        long deadline = System.currentTimeMillis() + 10_000;
        String after = scrape();
        while (value(after, "engineio_upgrades_total{result=\"success\"}")
                <= value(before, "engineio_upgrades_total{result=\"success\"}") && System.currentTimeMillis() < deadline) {
            Thread.sleep(200);
            after = scrape();
        }
        socket.sendClose(WebSocket.NORMAL_CLOSURE, "").get(10, TimeUnit.SECONDS);

        assertMoved(before, after, "engineio_upgrades_total{result=\"success\"}", 1);
        assertMoved(before, after, "chat_rate_limited_total", 1);
        assertMoved(before, after, "socketio_errors_total{code=\"RATE_LIMITED\"}", 1);
        // the error events of the refused messages at least (acks are not EVENTs; new_message skips the sender)
        assertMoved(before, after, "socketio_messages_sent_total{namespace=\"/\"}", 1);
        assertMoved(before, after, "chat_messages_persisted_total", 1);
        assertMoved(before, after, "engineio_sessions_opened_total{transport=\"polling\"}", 2);
    }

    private String token(String user) throws Exception {
        HttpResponse<String> reply = post("api/dev/token", "{\"user\":\"" + user + "\"}", "application/json");
        assertThat(reply.statusCode()).as(reply.body()).isEqualTo(200);
        Matcher t = TOKEN.matcher(reply.body());
        assertThat(t.find()).isTrue();
        return t.group(1);
    }

    /** Waits up to 15 s for the background poller to have received the marker. */
    private static void awaitReceived(StringBuffer received, String marker) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 15_000;
        while (received.indexOf(marker) < 0 && System.currentTimeMillis() < deadline) {
            Thread.sleep(50);
        }
        assertThat(received.toString()).as("received so far").contains(marker);
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
