package dev.switchboard.it.protocol;

import dev.switchboard.it.Deployments;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URL;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Oversized handshakes: too many headers, one huge header, a huge query string, each on the polling handshake (GET
 * /socket.io/?EIO=4&transport=polling) and on the WebSocket upgrade. The server must answer with a clean 4xx (400,
 * 413, 414 or 431) or close the connection, never a 500 and never a handshake, and keep serving. The limits are
 * Grizzly's, set explicitly in payara/pre-boot-commands.txt (header buffer 8 KiB, at most 100 headers): the controls
 * check that a realistic browser handshake (30 headers, cookies, a long query) is still accepted.
 */
@EnabledIfSystemProperty(named = "switchboard.itProperties", matches = ".*interop\\.properties",
        disabledReason = "needs the interop test application (failsafe's protocol execution); -Dit.test selects this "
                + "class in every execution")
@ExtendWith(ArquillianExtension.class)
class HandshakeLimitsIT {
    private static final String POLLING = "/socket.io/?EIO=4&transport=polling";
    private static final String WEBSOCKET = "/socket.io/?EIO=4&transport=websocket";

    @Deployment(testable = false)
    static WebArchive war() {
        return Deployments.builtWar();
    }

    @ArquillianResource
    URL base;

    // ---- too many headers ----

    @Test
    void tooManyHeadersOnThePollingHandshake() throws Exception {
        assertRefused(request(POLLING, manyHeaders(500), false), "500 headers, polling");
    }

    @Test
    void tooManyHeadersOnTheUpgrade() throws Exception {
        assertRefused(request(WEBSOCKET, manyHeaders(500), true), "500 headers, upgrade");
    }

    // ---- one oversized header ----

    @Test
    void oversizedHeaderOnThePollingHandshake() throws Exception {
        assertRefused(request(POLLING, "Cookie: a=" + "x".repeat(64 * 1024) + "\r\n", false), "64 KiB cookie, polling");
    }

    @Test
    void oversizedHeaderOnTheUpgrade() throws Exception {
        assertRefused(request(WEBSOCKET, "X-Big: " + "x".repeat(64 * 1024) + "\r\n", true), "64 KiB header, upgrade");
    }

    @Test
    void headersTotallingTooMuchOnThePollingHandshake() throws Exception {
        StringBuilder h = new StringBuilder();
        for (int i = 0; i < 60; i++) {
            h.append("X-Pad-").append(i).append(": ").append("y".repeat(1000)).append("\r\n");
        }
        assertRefused(request(POLLING, h.toString(), false), "60 headers of 1 KB, polling");
    }

    // ---- oversized query string ----

    @Test
    void oversizedQueryOnThePollingHandshake() throws Exception {
        assertRefused(request(POLLING + "&pad=" + "q".repeat(64 * 1024), "", false), "64 KiB query, polling");
    }

    @Test
    void oversizedQueryOnTheUpgrade() throws Exception {
        assertRefused(request(WEBSOCKET + "&pad=" + "q".repeat(64 * 1024), "", true), "64 KiB query, upgrade");
    }

    @Test
    void megabyteQueryOnThePollingHandshake() throws Exception {
        assertRefused(request(POLLING + "&pad=" + "q".repeat(1024 * 1024), "", false), "1 MiB query, polling");
    }

    // ---- the controls: what a real browser sends passes ----

    @Test
    void realisticPollingHandshakeIsAccepted() throws Exception {
        String head = exchange(request(POLLING + "&t=" + "a".repeat(1500), realisticHeaders(), false));
        assertThat(head).as(head).startsWith("HTTP/1.1 200");
        assertServerFine();
    }

    @Test
    void realisticUpgradeIsAccepted() throws Exception {
        String head = exchange(request(WEBSOCKET + "&t=" + "a".repeat(1500), realisticHeaders(), true));
        assertThat(head).as(head).startsWith("HTTP/1.1 101");
        assertServerFine();
    }

    // ---- helpers ----

    private static String manyHeaders(int n) {
        StringBuilder h = new StringBuilder();
        for (int i = 0; i < n; i++) {
            h.append("X-H").append(i).append(": v\r\n");
        }
        return h.toString();
    }

    /** About 30 headers and 3 KB, as a browser with a few cookies sends. */
    private static String realisticHeaders() {
        StringBuilder h = new StringBuilder("User-Agent: Mozilla/5.0 (X11; Linux x86_64) Chrome/131.0 Safari/537.36\r\n"
                + "Accept: */*\r\nAccept-Language: en-GB,en;q=0.9\r\nAccept-Encoding: gzip, deflate, br\r\n"
                + "Cookie: session=" + "c".repeat(1200) + "\r\n");
        for (int i = 0; i < 25; i++) {
            h.append("X-Extra-").append(i).append(": ").append("v".repeat(20)).append("\r\n");
        }
        return h.toString();
    }

    private String request(String pathAndQuery, String extraHeaders, boolean upgrade) {
        String head = upgrade
                ? RawWebSocket.upgradeRequest(base, pathAndQuery)
                : "GET " + pathAndQuery + " HTTP/1.1\r\nHost: " + base.getHost() + ":" + base.getPort() + "\r\n\r\n";
        return head.substring(0, head.length() - 2) + extraHeaders + (upgrade ? "" : "Connection: close\r\n")
                + "\r\n";
    }

    /** Sends the request and returns the response head, "" if the server closed without answering. */
    private String exchange(String request) throws IOException {
        try (Socket s = RawWebSocket.connect(base)) {
            OutputStream out = s.getOutputStream();
            try {
                out.write(request.getBytes(StandardCharsets.ISO_8859_1));
                out.flush();
            } catch (IOException e) {
                // the server may close while the request is still being written: that is a refusal too
            }
            try {
                return RawWebSocket.readHead(s.getInputStream());
            } catch (SocketTimeoutException e) {
                throw new AssertionError("no answer and no close within 10 s", e);
            } catch (IOException e) {
                return ""; // reset
            }
        }
    }

    private void assertRefused(String request, String what) throws Exception {
        String head = exchange(request);
        String status = head.isEmpty() ? "(connection closed)" : head.lines().findFirst().orElse("");
        System.out.printf("%s -> %s%n", what, status);
        if (!head.isEmpty()) {
            assertThat(status).as("status for %s", what).matches("HTTP/1\\.[01] (400|413|414|431) .*|HTTP/1\\.[01] (400|413|414|431)");
        }
        assertServerFine();
    }

    private void assertServerFine() throws Exception {
        String head = exchange(request(POLLING, "", false));
        assertThat(head).as("a normal handshake afterwards").startsWith("HTTP/1.1 200");
        try (RawWebSocket ws = RawWebSocket.open(base, WEBSOCKET)) {
            assertThat(ws.upgraded()).as(ws.response).isTrue();
            assertThat(ws.read().text()).startsWith("0{\"sid\":");
        }
    }
}
