package dev.switchboard.engineio;

import dev.switchboard.engineio.transport.HttpReply;
import dev.switchboard.engineio.transport.WebSocketHandler;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;

import static dev.switchboard.engineio.EngineHarness.sidOf;
import static org.assertj.core.api.Assertions.assertThat;

class EngineServerTest {
    private static final Pattern OPEN = Pattern.compile(
            "0\\{\"sid\":\"[A-Za-z0-9_-]+\",\"upgrades\":(\\[\"websocket\"]|\\[]),\"pingInterval\":300,"
                    + "\"pingTimeout\":200,\"maxPayload\":1000000}");

    private final EngineHarness h = new EngineHarness();

    // ---- handshake ----

    @Test
    void pollingHandshakeBodyHasExactlyTheFiveKeys() {
        FakePollExchange ex = h.poll("GET", "EIO=4&transport=polling&t=NxyzAb");
        assertThat(ex.status()).isEqualTo(200);
        String body = ex.bodyText();
        assertThat(body).matches(OPEN);
        String sid = sidOf(body);
        assertThat(body).isEqualTo("0{\"sid\":\"" + sid + "\",\"upgrades\":[\"websocket\"],\"pingInterval\":300,"
                + "\"pingTimeout\":200,\"maxPayload\":1000000}");
        assertThat(ex.reply().contentType()).startsWith("text/plain");
        assertThat(ex.reply().headers()).doesNotContainKey("Set-Cookie");
        assertThat(h.server.sessionCount()).isEqualTo(1);
        assertThat(h.handler.sockets).hasSize(1);
        EngineSocket socket = h.handler.sockets.get(0);
        assertThat(socket.id()).isEqualTo(sid);
        assertThat(socket.transportName()).isEqualTo("polling");
        assertThat(socket.isOpen()).isTrue();
        assertThat(socket.handshake().query()).containsEntry("t", "NxyzAb");
        assertThat(socket.handshake().remoteAddress()).isEqualTo("127.0.0.1");
    }

    @Test
    void sidsAreUrlSafeAndUnique() {
        Set<String> sids = new HashSet<>();
        for (int i = 0; i < 200; i++) {
            sids.add(h.handshake());
        }
        assertThat(sids).hasSize(200).allMatch(s -> s.matches("[A-Za-z0-9_-]{16,}"));
        assertThat(h.server.sessionCount()).isEqualTo(200);
        for (int i = 0; i < 1000; i++) {
            assertThat(EngineServer.newId()).matches("[A-Za-z0-9_-]{20}");
        }
    }

    @Test
    void pollingOnlyServerAdvertisesNoUpgrades() {
        EngineHarness polling = new EngineHarness(EngineHarness.testOptions().withTransports(Set.of("polling")));
        FakePollExchange ex = polling.poll("GET", "EIO=4&transport=polling");
        assertThat(ex.bodyText()).matches(OPEN).contains("\"upgrades\":[]");
        // and a websocket is refused: it is not an allowed transport
        EngineHarness.Ws ws = polling.websocket(null);
        assertThat(ws.connection().closed()).isTrue();
        assertThat(ws.handler()).isSameAs(WebSocketHandler.CLOSED);
        assertThat(polling.server.sessionCount()).isEqualTo(1);
    }

    @Test
    void websocketFirstSessionSendsOpenPacketAsFirstFrameWithNoUpgrades() {
        h.handler.echo = true;
        EngineHarness.Ws ws = h.websocket(null);
        assertThat(ws.handler()).isNotSameAs(WebSocketHandler.CLOSED);
        assertThat(ws.connection().closed()).isFalse();
        assertThat(ws.connection().frames).hasSize(1);
        String open = (String) ws.connection().frames.get(0);
        assertThat(open).matches(OPEN).contains("\"upgrades\":[]");
        EngineSocket socket = h.handler.sockets.get(0);
        assertThat(socket.id()).isEqualTo(sidOf(open));
        assertThat(socket.transportName()).isEqualTo("websocket");
        assertThat(socket.isWritable()).isTrue();
        ws.text("4hello");
        ws.binary(new byte[]{1, 2, 3, 4});
        assertThat(ws.connection().frames).hasSize(3);
        assertThat(ws.connection().frames.get(1)).isEqualTo("4hello");
        assertThat((byte[]) ws.connection().frames.get(2)).containsExactly(1, 2, 3, 4);
        // a polling request for a websocket session is refused
        assertThat(h.get(socket.id()).status()).isEqualTo(400);
        assertThat(h.post(socket.id(), "4x").status()).isEqualTo(400);
    }

    // ---- request validation ----

    @ParameterizedTest(name = "{0} {1} -> {2} code {3}")
    @CsvSource(delimiter = '|', value = {
        "GET|transport=polling|400|5",
        "GET|EIO=3&transport=polling|400|5",
        "GET|EIO=abc&transport=polling|400|5",
        "GET|EIO=|400|5",
        "GET|EIO=4|400|0",
        "GET|EIO=4&transport=foo|400|0",
        "GET|EIO=4&transport=Polling|400|0",
        "POST|EIO=4&transport=polling|400|2",
        "PUT|EIO=4&transport=polling|400|2",
        "DELETE|EIO=4&transport=polling|400|2",
        "GET|EIO=4&transport=polling&sid=nope|400|1",
        "POST|EIO=4&transport=polling&sid=nope|400|1",
        "GET|EIO=4&transport=websocket|400|3",
        "GET|EIO=4&transport=websocket&sid=nope|400|3",
    })
    void invalidRequestsGetErrorCodes(String method, String query, int status, int code) {
        FakePollExchange ex = h.poll(method, query, "4x", Map.of());
        assertThat(ex.status()).isEqualTo(status);
        assertThat(ex.bodyText()).startsWith("{\"code\":" + code + ",\"message\":\"");
        assertThat(ex.reply().contentType()).isEqualTo("application/json");
        assertThat(h.server.sessionCount()).isZero();
        assertThat(h.scheduler.pendingTasks()).isZero();
    }

    @Test
    void errorBodiesMatchTheReference() {
        assertThat(EngineError.UNKNOWN_TRANSPORT.json()).isEqualTo("{\"code\":0,\"message\":\"Transport unknown\"}");
        assertThat(EngineError.UNKNOWN_SID.json()).isEqualTo("{\"code\":1,\"message\":\"Session ID unknown\"}");
        assertThat(EngineError.BAD_HANDSHAKE_METHOD.json()).isEqualTo("{\"code\":2,\"message\":\"Bad handshake method\"}");
        assertThat(EngineError.BAD_REQUEST.json()).isEqualTo("{\"code\":3,\"message\":\"Bad request\"}");
        assertThat(EngineError.FORBIDDEN.json()).isEqualTo("{\"code\":4,\"message\":\"Forbidden\"}");
        assertThat(EngineError.UNSUPPORTED_PROTOCOL_VERSION.json())
                .isEqualTo("{\"code\":5,\"message\":\"Unsupported protocol version\"}");
        assertThat(EngineError.FORBIDDEN.httpStatus()).isEqualTo(403);
    }

    @Test
    void unknownMethodOnExistingSessionIsBadRequest() {
        String sid = h.handshake();
        FakePollExchange ex = h.poll("PUT", "EIO=4&transport=polling&sid=" + sid);
        assertThat(ex.status()).isEqualTo(400);
        assertThat(ex.bodyText()).contains("\"code\":3");
    }

    // ---- origins and CORS ----

    @Test
    void forbiddenOriginGets403Code4() {
        FakePollExchange ex = h.poll("GET", "EIO=4&transport=polling", null, Map.of("Origin", "https://evil.example"));
        assertThat(ex.status()).isEqualTo(403);
        assertThat(ex.bodyText()).isEqualTo("{\"code\":4,\"message\":\"Forbidden\"}");
        assertThat(ex.reply().headers()).doesNotContainKey("Access-Control-Allow-Origin");
        assertThat(h.server.sessionCount()).isZero();
    }

    @Test
    void sameOriginPassesWithoutCorsHeaders() {
        FakePollExchange ex = h.poll("GET", "EIO=4&transport=polling", null,
                Map.of("Origin", "http://localhost:8080", "Host", "localhost:8080"));
        assertThat(ex.status()).isEqualTo(200);
        assertThat(ex.reply().headers()).doesNotContainKey("Access-Control-Allow-Origin");
    }

    @Test
    void allowedOriginGetsCorsHeaders() {
        EngineHarness cors = new EngineHarness(EngineHarness.testOptions()
                .withAllowedOrigins(List.of("https://app.example/")));
        FakePollExchange ex = cors.poll("GET", "EIO=4&transport=polling", null, Map.of("Origin", "https://app.example"));
        assertThat(ex.status()).isEqualTo(200);
        assertThat(ex.reply().headers()).containsEntry("Access-Control-Allow-Origin", "https://app.example")
                .containsEntry("Access-Control-Allow-Credentials", "true");
        String sid = sidOf(ex.bodyText());
        FakePollExchange post = cors.poll("POST", "EIO=4&transport=polling&sid=" + sid, "4x",
                Map.of("Origin", "https://app.example"));
        assertThat(post.bodyText()).isEqualTo("ok");
        assertThat(post.reply().headers()).containsEntry("Access-Control-Allow-Origin", "https://app.example");
        FakePollExchange err = cors.poll("GET", "EIO=4&transport=polling&sid=nope", null,
                Map.of("Origin", "https://app.example"));
        assertThat(err.status()).isEqualTo(400);
        assertThat(err.reply().headers()).containsEntry("Access-Control-Allow-Origin", "https://app.example");
        assertThat(cors.poll("GET", "EIO=4&transport=polling", null, Map.of("Origin", "https://other.example"))
                .status()).isEqualTo(403);
    }

    @Test
    void wildcardAllowsAnyOriginAndNoOriginAlwaysPasses() {
        EngineHarness any = new EngineHarness(EngineHarness.testOptions().withAllowedOrigins(List.of("*")));
        FakePollExchange ex = any.poll("GET", "EIO=4&transport=polling", null, Map.of("Origin", "http://x.test"));
        assertThat(ex.status()).isEqualTo(200);
        assertThat(ex.reply().headers()).containsEntry("Access-Control-Allow-Origin", "http://x.test");
        FakePollExchange none = h.poll("GET", "EIO=4&transport=polling", null, Map.of());
        assertThat(none.status()).isEqualTo(200);
        assertThat(none.reply().headers()).doesNotContainKey("Access-Control-Allow-Origin");
    }

    @Test
    void originPolicyRules() {
        OriginPolicy p = new OriginPolicy(List.of("https://A.example"));
        assertThat(p.permits(null, "h", false)).isTrue();
        assertThat(p.permits("", "h", false)).isTrue();
        assertThat(p.permits("https://a.example", "h", false)).isTrue();
        assertThat(p.permits("https://a.example/", "h", false)).isTrue();
        assertThat(p.permits("http://a.example", "h", false)).isFalse();
        assertThat(p.permits("https://host:1", "host:1", true)).isTrue();
        assertThat(p.permits("http://host:1", "host:1", true)).isFalse();
        assertThat(p.permits("https://b.example", null, true)).isFalse();
        assertThat(p.allowOriginHeader("https://a.example")).isEqualTo("https://a.example");
        assertThat(p.allowOriginHeader("https://b.example")).isNull();
        assertThat(p.allowOriginHeader(null)).isNull();
    }

    @Test
    void preflightForAllowedOrigin() {
        EngineHarness cors = new EngineHarness(EngineHarness.testOptions()
                .withAllowedOrigins(List.of("https://app.example")));
        FakePollExchange ex = cors.poll("OPTIONS", "EIO=4&transport=polling", null,
                Map.of("Origin", "https://app.example", "Access-Control-Request-Headers", "content-type"));
        HttpReply r = ex.reply();
        assertThat(r.status()).isEqualTo(204);
        assertThat(r.body()).isEmpty();
        assertThat(r.headers()).containsEntry("Access-Control-Allow-Origin", "https://app.example")
                .containsEntry("Access-Control-Allow-Headers", "content-type")
                .containsKey("Access-Control-Allow-Methods");
        assertThat(r.headers().get("Access-Control-Allow-Methods")).contains("GET", "POST");
        assertThat(cors.server.sessionCount()).isZero();

        FakePollExchange other = cors.poll("OPTIONS", "EIO=4&transport=polling", null,
                Map.of("Origin", "https://evil.example"));
        assertThat(other.status()).isEqualTo(204);
        assertThat(other.reply().headers()).doesNotContainKey("Access-Control-Allow-Origin");
    }

    // ---- cookie and compression ----

    @Test
    void cookieWhenConfigured() {
        EngineHarness c = new EngineHarness(EngineHarness.testOptions().withCookie("io"));
        FakePollExchange ex = c.poll("GET", "EIO=4&transport=polling");
        String sid = sidOf(ex.bodyText());
        assertThat(ex.reply().headers().get("Set-Cookie")).startsWith("io=" + sid + ";").contains("Path=/")
                .contains("HttpOnly");
    }

    @Test
    void largePayloadIsGzippedWhenAccepted() throws Exception {
        String sid = h.handshake();
        String big = "x".repeat(5000);
        h.handler.sockets.get(0).send(big);
        h.handler.sockets.get(0).send("tail");
        FakePollExchange ex = h.poll("GET", "EIO=4&transport=polling&sid=" + sid, null,
                Map.of("Accept-Encoding", "gzip, deflate, br"));
        HttpReply r = ex.reply();
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.headers()).containsEntry("Content-Encoding", "gzip");
        assertThat(r.headers().get("Vary")).contains("Accept-Encoding");
        assertThat(r.body().length).isLessThan(1000);
        byte[] plain;
        try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(r.body()))) {
            plain = in.readAllBytes();
        }
        assertThat(new String(plain, StandardCharsets.UTF_8)).isEqualTo("4" + big + EngineHarness.RS + "4tail");
    }

    @Test
    void smallOrNotAcceptedPayloadIsNotCompressed() {
        String sid = h.handshake();
        EngineSocket s = h.handler.sockets.get(0);
        s.send("small");
        FakePollExchange small = h.poll("GET", "EIO=4&transport=polling&sid=" + sid, null,
                Map.of("Accept-Encoding", "gzip"));
        assertThat(small.reply().headers()).doesNotContainKey("Content-Encoding");
        assertThat(small.bodyText()).isEqualTo("4small");
        s.send("y".repeat(5000));
        FakePollExchange plain = h.get(sid);
        assertThat(plain.reply().headers()).doesNotContainKey("Content-Encoding");
        assertThat(plain.bodyText()).isEqualTo("4" + "y".repeat(5000));
    }

    @Test
    void varyListsBothOriginAndEncodingWhenBothApply() {
        EngineHarness cors = new EngineHarness(EngineHarness.testOptions().withAllowedOrigins(List.of("*")));
        String sid = cors.handshake();
        cors.handler.sockets.get(0).send("z".repeat(5000));
        FakePollExchange ex = cors.poll("GET", "EIO=4&transport=polling&sid=" + sid, null,
                Map.of("Accept-Encoding", "gzip", "Origin", "http://x.test"));
        assertThat(ex.reply().headers()).containsEntry("Content-Encoding", "gzip");
        assertThat(ex.reply().headers().get("Vary")).contains("Origin").contains("Accept-Encoding");
    }

    // ---- websocket refusals ----

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "transport=websocket",
        "EIO=3&transport=websocket",
        "EIO=abc&transport=websocket",
        "EIO=4",
        "EIO=4&transport=polling",
        "EIO=4&transport=websocket&sid=unknown",
    })
    void badWebSocketsAreAcceptedThenClosed(String query) {
        EngineHarness.Ws ws = h.websocket(query, Map.of());
        assertThat(ws.connection().closed()).isTrue();
        assertThat(ws.connection().closeCode).isIn(1002, 1008);
        assertThat(ws.connection().frames).isEmpty();
        assertThat(ws.handler()).isSameAs(WebSocketHandler.CLOSED);
        ws.text("4hello");
        ws.handler().onClose(false);
        assertThat(h.server.sessionCount()).isZero();
        assertThat(h.handler.sockets).isEmpty();
        assertThat(h.scheduler.pendingTasks()).isZero();
    }

    @Test
    void forbiddenOriginWebSocketIsClosedWithPolicyCode() {
        EngineHarness.Ws ws = h.websocket("EIO=4&transport=websocket", Map.of("Origin", "https://evil.example"));
        assertThat(ws.connection().closeCode).isEqualTo(1008);
        assertThat(ws.handler()).isSameAs(WebSocketHandler.CLOSED);
        assertThat(h.server.sessionCount()).isZero();
    }

    @Test
    void webSocketForWebSocketSessionIsClosed() {
        EngineHarness.Ws first = h.websocket(null);
        String sid = sidOf((String) first.connection().frames.get(0));
        EngineHarness.Ws second = h.websocket(sid);
        assertThat(second.connection().closed()).isTrue();
        assertThat(second.handler()).isSameAs(WebSocketHandler.CLOSED);
        assertThat(first.connection().closed()).isFalse();
        assertThat(h.server.sessionCount()).isEqualTo(1);
    }

    // ---- server lifecycle ----

    @Test
    void connectionHandlerFailureClosesTheSession() {
        EngineServer s = new EngineServer(EngineHarness.testOptions(), h.scheduler, h.scheduler, socket -> {
            throw new IllegalStateException("boom");
        });
        FakePollExchange ex = new FakePollExchange(EngineHarness.request("GET", "EIO=4&transport=polling", Map.of()),
                null);
        s.handlePolling(ex);
        assertThat(s.sessionCount()).isZero();
        assertThat(h.scheduler.pendingTasks()).isZero();
    }

    @Test
    void shutdownClosesSessionsAndRefusesNewOnes() {
        String sid = h.handshake();
        FakePollExchange held = h.get(sid);
        EngineHarness.Ws ws = h.websocket(null);
        h.server.shutdown();
        assertThat(held.bodyText()).isEqualTo("1");
        assertThat(ws.connection().closed()).isTrue();
        assertThat(h.handler.listeners).allSatisfy(l -> assertThat(l.closes).containsExactly(CloseReason.SERVER_SHUTDOWN));
        assertThat(h.server.sessionCount()).isZero();
        assertThat(h.scheduler.pendingTasks()).isZero();
        assertThat(h.poll("GET", "EIO=4&transport=polling").status()).isEqualTo(503);
        assertThat(h.websocket(null).connection().closed()).isTrue();
    }
}
