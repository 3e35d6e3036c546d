package dev.switchboard.it.protocol;

import dev.switchboard.it.Deployments;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.extension.ExtendWith;

import java.net.URL;
import java.net.http.HttpResponse;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The deployed WAR's Engine.IO layer, driven frame by frame over each transport mode: polling only, WebSocket only,
 * and polling upgraded to WebSocket, plus the refusals a client can provoke. Uses the test profile's echo endpoint
 * (/engine.io/) and the Socket.IO endpoint (/socket.io/); heartbeat 1500/1000 ms, maxHttpBufferSize 100000.
 */
@EnabledIfSystemProperty(named = "switchboard.itProperties", matches = ".*interop\\.properties",
        disabledReason = "needs the interop test application (failsafe's protocol execution); -Dit.test selects this "
                + "class in every execution")
@ExtendWith(ArquillianExtension.class)
class EngineIoTransportsIT {
    private static final int MAX_PAYLOAD = 100_000;

    @Deployment(testable = false)
    static WebArchive war() {
        return Deployments.builtWar();
    }

    @ArquillianResource
    URL base;

    private EioTestClient echo() {
        return new EioTestClient(base, "/engine.io/");
    }

    @Test
    void pollingHandshakeAdvertisesExactlyTheFiveFields() throws Exception {
        HttpResponse<String> r = echo().get("EIO=4&transport=polling");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).matches("0\\{\"sid\":\"[A-Za-z0-9_-]{20}\",\"upgrades\":\\[\"websocket\"\\],"
                + "\"pingInterval\":1500,\"pingTimeout\":1000,\"maxPayload\":100000}");
        // Without a trailing slash too.
        HttpResponse<String> noSlash = new EioTestClient(base, "/engine.io").get("EIO=4&transport=polling");
        assertThat(noSlash.statusCode()).isEqualTo(200);
    }

    @Test
    void pollingOnlyEchoesTextAndBinaryBatches() throws Exception {
        EioTestClient c = echo();
        String sid = c.handshake();
        HttpResponse<String> post = c.post("EIO=4&transport=polling&sid=" + sid, "4hello\u001ebAQIDBA==\u001e4world");
        assertThat(post.statusCode()).isEqualTo(200);
        assertThat(post.body()).isEqualTo("ok");
        HttpResponse<String> get = c.get("EIO=4&transport=polling&sid=" + sid);
        assertThat(get.body()).isEqualTo("4hello\u001ebAQIDBA==\u001e4world");
    }

    @Test
    void heldPollIsAnsweredByThePing() throws Exception {
        EioTestClient c = echo();
        String sid = c.handshake();
        long start = System.nanoTime();
        HttpResponse<String> get = c.get("EIO=4&transport=polling&sid=" + sid);
        long waited = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        assertThat(get.body()).isEqualTo("2");
        assertThat(waited).isGreaterThan(800);
        // No pong: the session is gone after pingTimeout.
        Thread.sleep(1300);
        assertThat(c.get("EIO=4&transport=polling&sid=" + sid).statusCode()).isEqualTo(400);
    }

    @Test
    void websocketOnlyOpensWithoutUpgradesAndEchoes() throws Exception {
        EioTestClient.Ws ws = echo().websocket("EIO=4&transport=websocket");
        assertThat((String) ws.next()).matches("0\\{\"sid\":\"[A-Za-z0-9_-]{20}\",\"upgrades\":\\[\\],"
                + "\"pingInterval\":1500,\"pingTimeout\":1000,\"maxPayload\":100000}");
        ws.send("4hello");
        assertThat(ws.nextNonPing()).isEqualTo("4hello");
        ws.send(new byte[]{1, 2, 3, 4});
        assertThat((byte[]) ws.nextNonPing()).containsExactly(1, 2, 3, 4);
        ws.send("1");
        assertThat(ws.awaitClose(5)).isTrue();
    }

    @Test
    void websocketHeartbeatPingsAndClosesWithoutPong() throws Exception {
        EioTestClient.Ws ws = echo().websocket("EIO=4&transport=websocket");
        ws.next();
        assertThat(ws.next()).isEqualTo("2");
        ws.send("3");
        assertThat(ws.next()).isEqualTo("2");
        // Second ping unanswered: closed within pingTimeout (plus slack).
        assertThat(ws.awaitClose(4)).isTrue();
    }

    @Test
    void pollingUpgradesToWebsocketWithoutLosingPackets() throws Exception {
        EioTestClient c = echo();
        String sid = c.handshake();
        String q = "EIO=4&transport=polling&sid=" + sid;
        CompletableFuture<HttpResponse<String>> pending = c.getAsync(q);
        Thread.sleep(100);
        EioTestClient.Ws ws = c.websocket("EIO=4&transport=websocket&sid=" + sid);
        ws.send("2probe");
        assertThat(ws.next()).isEqualTo("3probe");
        assertThat(pending.get(5, TimeUnit.SECONDS).body()).isEqualTo("6");
        ws.send("5");
        ws.send("4after-upgrade");
        assertThat(ws.nextNonPing()).isEqualTo("4after-upgrade");
        assertThat(c.get(q).statusCode()).isEqualTo(400);
        // A second WebSocket for the same session is accepted and closed at once.
        EioTestClient.Ws second = c.websocket("EIO=4&transport=websocket&sid=" + sid);
        assertThat(second.awaitClose(5)).isTrue();
        ws.send("4still-here");
        assertThat(ws.nextNonPing()).isEqualTo("4still-here");
    }

    @Test
    void socketIoEndpointServesBothTransports() throws Exception {
        EioTestClient c = new EioTestClient(base, "/socket.io/");
        String sid = c.handshake();
        assertThat(c.post("EIO=4&transport=polling&sid=" + sid, "40").body()).isEqualTo("ok");
        assertThat(c.get("EIO=4&transport=polling&sid=" + sid).body()).startsWith("40{\"sid\":\"");
        EioTestClient.Ws ws = c.websocket("EIO=4&transport=websocket");
        ws.next();
        ws.send("40");
        assertThat((String) ws.nextNonPing()).startsWith("40{\"sid\":\"");
    }

    @Test
    void oversizedPollingBodyIsRefusedAndClosesTheSession() throws Exception {
        EioTestClient c = echo();
        String sid = c.handshake();
        HttpResponse<String> r = c.post("EIO=4&transport=polling&sid=" + sid, "4" + "x".repeat(MAX_PAYLOAD + 10));
        assertThat(r.statusCode()).isEqualTo(413);
        assertThat(c.get("EIO=4&transport=polling&sid=" + sid).statusCode()).isEqualTo(400);
        // The server is fine: a new session works.
        assertThat(c.handshake()).isNotBlank();
    }

    @Test
    void oversizedChunkedPollingBodyIsRefusedAndClosesTheSession() throws Exception {
        // no Content-Length: only the bounded read of the stream can refuse it
        EioTestClient c = echo();
        String sid = c.handshake();
        byte[] body = ("4" + "x".repeat(MAX_PAYLOAD + 10)).getBytes(java.nio.charset.StandardCharsets.UTF_8);
        HttpResponse<String> r = c.http.send(java.net.http.HttpRequest.newBuilder(
                        java.net.URI.create(c.url("EIO=4&transport=polling&sid=" + sid)))
                .header("Content-Type", "text/plain;charset=UTF-8")
                .POST(java.net.http.HttpRequest.BodyPublishers.ofInputStream(() -> new java.io.ByteArrayInputStream(body)))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(413);
        assertThat(c.get("EIO=4&transport=polling&sid=" + sid).statusCode()).isEqualTo(400);
        assertThat(c.handshake()).isNotBlank();
    }

    @Test
    void oversizedWebsocketFrameClosesTheConnection() throws Exception {
        EioTestClient.Ws ws = echo().websocket("EIO=4&transport=websocket");
        ws.next();
        ws.send("4" + "x".repeat(MAX_PAYLOAD + 10));
        assertThat(ws.awaitClose(5)).isTrue();
        // 1009 "too big" from the frame limit: the heartbeat (pings are not answered here) would close it too, with 1000
        assertThat(ws.closed.get()).as("close code").isEqualTo(1009);
        assertThat(ws.frames).as("nothing echoed").noneMatch(f -> f instanceof String t && t.startsWith("4x"));
        assertThat(echo().handshake()).isNotBlank();
    }

    @Test
    void badRequestsGetTheProtocolErrorCodes() throws Exception {
        EioTestClient c = echo();
        assertError(c.get("EIO=4&transport=polling&sid=nope"), 400, 1);
        assertError(c.get("EIO=3&transport=polling"), 400, 5);
        assertError(c.get("EIO=abc&transport=polling"), 400, 5);
        assertError(c.get("transport=polling"), 400, 5);
        assertError(c.get("EIO=4&transport=carrier-pigeon"), 400, 0);
        assertError(c.get("EIO=4"), 400, 0);
        assertError(c.post("EIO=4&transport=polling", "4x"), 400, 2);
        assertError(c.get("EIO=4&transport=websocket"), 400, 3);
        HttpResponse<String> foreign = c.http.send(java.net.http.HttpRequest.newBuilder(
                java.net.URI.create(c.url("EIO=4&transport=polling"))).header("Origin", "http://evil.example")
                .GET().build(), HttpResponse.BodyHandlers.ofString());
        assertError(foreign, 403, 4);
        // A bad WebSocket is accepted and then closed, never refused with an HTTP status.
        assertThat(c.websocket("EIO=3&transport=websocket").awaitClose(5)).isTrue();
        assertThat(c.websocket("EIO=4&transport=websocket&sid=unknown").awaitClose(5)).isTrue();
    }

    @Test
    void foreignOriginWebsocketIsClosedByTheDeployedServer() throws Exception {
        // the container must hand the Origin header of the upgrade to the engine (OriginAllowListTest covers the rest)
        EioTestClient c = echo();
        EioTestClient.Ws ws = new EioTestClient.Ws();
        ws.socket = c.http.newWebSocketBuilder().connectTimeout(java.time.Duration.ofSeconds(5))
                .header("Origin", "http://evil.example")
                .buildAsync(java.net.URI.create(c.url("EIO=4&transport=websocket").replaceFirst("^http", "ws")), ws)
                .get(10, java.util.concurrent.TimeUnit.SECONDS);
        assertThat(ws.awaitClose(5)).isTrue();
        assertThat(ws.closed.get()).as("close code").isEqualTo(1008);
        assertThat(ws.frames).as("no open packet").noneMatch(f -> f instanceof String t && t.startsWith("0{"));
    }

    @Test
    void duplicatePollClosesTheSession() throws Exception {
        EioTestClient c = echo();
        String sid = c.handshake();
        String q = "EIO=4&transport=polling&sid=" + sid;
        CompletableFuture<HttpResponse<String>> first = c.getAsync(q);
        Thread.sleep(200);
        HttpResponse<String> second = c.get(q);
        assertThat(second.statusCode()).isEqualTo(400);
        assertThat(first.get(5, TimeUnit.SECONDS).body()).isEqualTo("1");
        assertThat(c.get(q).statusCode()).isEqualTo(400);
    }

    @Test
    void badPayloadClosesOnlyThatSession() throws Exception {
        EioTestClient c = echo();
        String sid = c.handshake();
        String other = c.handshake();
        c.post("EIO=4&transport=polling&sid=" + sid, "abc");
        assertThat(c.get("EIO=4&transport=polling&sid=" + sid).statusCode()).isEqualTo(400);
        c.post("EIO=4&transport=polling&sid=" + other, "4ok");
        assertThat(c.get("EIO=4&transport=polling&sid=" + other).body()).isEqualTo("4ok");
    }

    private static void assertError(HttpResponse<String> r, int status, int code) {
        assertThat(r.statusCode()).as(r.uri().toString()).isEqualTo(status);
        assertThat(r.body()).startsWith("{\"code\":" + code + ",");
    }
}
