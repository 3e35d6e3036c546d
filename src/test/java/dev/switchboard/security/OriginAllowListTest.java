package dev.switchboard.security;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.engineio.EngineHarness;
import dev.switchboard.engineio.FakePollExchange;
import dev.switchboard.engineio.transport.HttpReply;
import dev.switchboard.engineio.transport.WebSocketHandler;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * CVE-2019-13611 (python-engineio &lt; 3.8.0: cross-site WebSocket hijacking, the WebSocket upgrade ignored the CORS
 * allow-list) and CVE-2020-28481 (socket.io &lt; 2.4.0: CORS answered "*" to everyone by default). Here one origin
 * policy guards polling CORS and the WebSocket handshake alike, and the default (empty allow-list) is same origin only:
 * a foreign Origin gets 403 on polling, a closed WebSocket, and never an Access-Control-Allow-Origin header.
 */
@DisplayName("CVE-2019-13611 / CVE-2020-28481: the origin allow-list guards polling and WebSocket; default is same-origin")
class OriginAllowListTest {

    private static final String APP = "https://app.example";
    private static final String EVIL = "https://evil.example";
    private static final String HANDSHAKE = "EIO=4&transport=polling";
    private static final String WS = "EIO=4&transport=websocket";

    private final EngineHarness listed = new EngineHarness(EngineHarness.testOptions().withAllowedOrigins(List.of(APP)));
    private final EngineHarness byDefault = new EngineHarness();

    @Test
    @DisplayName("CVE-2020-28481: a foreign origin gets 403 on the polling handshake and no CORS header")
    void foreignOriginIsRefusedOnPolling() {
        FakePollExchange ex = listed.poll("GET", HANDSHAKE, null, Map.of("Origin", EVIL));
        assertThat(ex.status()).isEqualTo(403);
        assertThat(ex.bodyText()).contains("\"code\":4");
        assertThat(ex.reply().headers()).doesNotContainKey("Access-Control-Allow-Origin");
        assertThat(listed.server.sessionCount()).isZero();
        assertThat(listed.handler.sockets).isEmpty();
    }

    @Test
    @DisplayName("CVE-2020-28481: a foreign origin cannot use an existing session's sid either")
    void foreignOriginIsRefusedOnAnExistingSession() {
        String sid = listed.handshake();
        FakePollExchange post = listed.poll("POST", HANDSHAKE + "&sid=" + sid, "4stolen", Map.of("Origin", EVIL));
        FakePollExchange get = listed.poll("GET", HANDSHAKE + "&sid=" + sid, null, Map.of("Origin", EVIL));
        assertThat(post.status()).isEqualTo(403);
        assertThat(get.status()).isEqualTo(403);
        assertThat(listed.listener().events).as("nothing delivered").isEmpty();
    }

    @Test
    @DisplayName("CVE-2020-28481: a preflight from a foreign origin is not granted")
    void foreignPreflightIsNotGranted() {
        FakePollExchange ex = listed.poll("OPTIONS", HANDSHAKE, null,
                Map.of("Origin", EVIL, "Access-Control-Request-Method", "POST"));
        assertThat(ex.reply().headers()).doesNotContainKeys("Access-Control-Allow-Origin",
                "Access-Control-Allow-Credentials", "Access-Control-Allow-Methods");
    }

    @Test
    @DisplayName("CVE-2019-13611: a foreign origin's WebSocket handshake is closed, no session is opened")
    void foreignOriginIsRefusedOnWebSocket() {
        EngineHarness.Ws ws = listed.websocket(WS, Map.of("Origin", EVIL));
        assertThat(ws.handler()).isSameAs(WebSocketHandler.CLOSED);
        assertThat(ws.connection().closed()).isTrue();
        assertThat(ws.connection().closeCode).isEqualTo(1008);
        assertThat(ws.connection().frames).as("no open packet, no sid").isEmpty();
        assertThat(listed.server.sessionCount()).isZero();
    }

    @Test
    @DisplayName("CVE-2019-13611: a foreign origin cannot hijack a polling session by upgrading it")
    void foreignOriginCannotUpgradeAnExistingSession() {
        String sid = listed.handshake();
        EngineHarness.Ws ws = listed.websocket(WS + "&sid=" + sid, Map.of("Origin", EVIL));
        assertThat(ws.connection().closed()).isTrue();
        ws.handler().onText("2probe");
        assertThat(ws.connection().frames).isEmpty();
        assertThat(listed.post(sid, "4still mine").status()).as("the polling session is untouched").isEqualTo(200);
        assertThat(listed.listener().events).containsExactly("text:still mine");
    }

    @Test
    @DisplayName("CVE-2019-13611 / CVE-2020-28481: a listed origin passes both transports, echoed, never '*'")
    void listedOriginPassesBothTransports() {
        FakePollExchange ex = listed.poll("GET", HANDSHAKE, null, Map.of("Origin", APP));
        assertThat(ex.status()).isEqualTo(200);
        assertThat(ex.reply().headers()).containsEntry("Access-Control-Allow-Origin", APP);
        EngineHarness.Ws ws = listed.websocket(WS, Map.of("Origin", APP));
        assertThat(ws.connection().closed()).isFalse();
        assertThat(ws.connection().texts()).singleElement().asString().startsWith("0{\"sid\":");
    }

    @Test
    @DisplayName("CVE-2020-28481: by default (empty list) a foreign origin is refused on polling and WebSocket")
    void defaultRefusesForeignOrigins() {
        FakePollExchange ex = byDefault.poll("GET", HANDSHAKE, null, Map.of("Origin", EVIL));
        assertThat(ex.status()).isEqualTo(403);
        assertThat(ex.reply().headers()).doesNotContainKey("Access-Control-Allow-Origin");
        EngineHarness.Ws ws = byDefault.websocket(WS, Map.of("Origin", EVIL));
        assertThat(ws.connection().closed()).isTrue();
        assertThat(ws.handler()).isSameAs(WebSocketHandler.CLOSED);
        assertThat(byDefault.server.sessionCount()).isZero();
    }

    @Test
    @DisplayName("CVE-2020-28481: by default the same origin passes and no reply ever says '*'")
    void defaultIsSameOriginOnlyAndNeverWildcard() {
        Map<String, String> same = Map.of("Origin", "http://localhost:8080", "Host", "localhost:8080");
        FakePollExchange ex = byDefault.poll("GET", HANDSHAKE, null, same);
        assertThat(ex.status()).isEqualTo(200);
        EngineHarness.Ws ws = byDefault.websocket(WS, same);
        assertThat(ws.connection().closed()).isFalse();
        // same host, other port or scheme: a different origin
        assertThat(byDefault.poll("GET", HANDSHAKE, null,
                Map.of("Origin", "http://localhost:9999", "Host", "localhost:8080")).status()).isEqualTo(403);
        assertThat(byDefault.poll("GET", HANDSHAKE, null,
                Map.of("Origin", "https://localhost:8080", "Host", "localhost:8080")).status()).isEqualTo(403);

        FakePollExchange pre = byDefault.poll("OPTIONS", HANDSHAKE, null, Map.of("Origin", EVIL));
        for (HttpReply reply : List.of(ex.reply(), pre.reply())) {
            assertThat(reply.headers().get("Access-Control-Allow-Origin")).isNotEqualTo("*");
        }
        assertThat(pre.reply().headers()).doesNotContainKey("Access-Control-Allow-Origin");
    }
}
