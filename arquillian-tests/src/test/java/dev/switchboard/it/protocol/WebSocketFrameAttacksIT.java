package dev.switchboard.it.protocol;

import dev.switchboard.it.Deployments;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * WebSocket frames no conforming client sends (engine.io CVE-2022-21676: a crafted frame crashed the server), written
 * byte by byte on a raw TCP socket after a hand-made upgrade to /socket.io/ (interop profile, heartbeat 1500/1000 ms).
 * Each must end that connection (a close frame with 1002 "protocol error", 1007 for bad UTF-8, or the TCP connection
 * dropped) within {@link #CLOSE_WITHIN_MILLIS}, release its Engine.IO session (the {@code engineio_sessions_open} gauge
 * goes back down), and leave the server serving: a client connected before the attack gets its echo, and a fresh
 * handshake over polling and over WebSocket succeeds. The raw client answers Engine.IO pings, so only the frame
 * check, never the heartbeat, can close it.
 */
@EnabledIfSystemProperty(named = "switchboard.itProperties", matches = ".*interop\\.properties",
        disabledReason = "needs the interop test application (failsafe's protocol execution); -Dit.test selects this "
                + "class in every execution")
@ExtendWith(ArquillianExtension.class)
class WebSocketFrameAttacksIT {
    /** Generous for a loaded 2-core machine; a heartbeat close never happens (pings are answered). */
    private static final long CLOSE_WITHIN_MILLIS = 5_000;
    private static final String EIO_WS = "/socket.io/?EIO=4&transport=websocket";
    private static final Pattern GAUGE = Pattern.compile("(?m)^engineio_sessions_open(?:\\{[^}]*})? ([0-9.eE+-]+)$");
    private static final List<String> TRANSPORT_REASONS = List.of("transport close", "transport error");
    private static final AtomicInteger SEQ = new AtomicInteger();

    @Deployment(testable = false)
    static WebArchive war() {
        return Deployments.builtWar();
    }

    @ArquillianResource
    URL base;

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private final List<AutoCloseable> opened = new ArrayList<>();
    private MalformedPacketsIT.RawSio bystander;

    /**
     * The bystander, retried: a cold client JVM on a loaded machine can miss the 3 s connect timeout once; that is
     * not what this class tests.
     */
    @BeforeEach
    void connectBystander() throws Exception {
        for (int attempt = 1; ; attempt++) {
            try {
                tryBystander();
                return;
            } catch (AssertionError | Exception e) {
                if (attempt == 3) {
                    throw e;
                }
            }
        }
    }

    private void tryBystander() throws Exception {
        bystander = new MalformedPacketsIT.RawSio();
        bystander.socket = http.newWebSocketBuilder().connectTimeout(Duration.ofSeconds(5))
                .buildAsync(URI.create(root().replaceFirst("^http", "ws") + EIO_WS), bystander)
                .get(10, TimeUnit.SECONDS);
        opened.add(bystander::abort);
        assertThat(bystander.nextText()).startsWith("0{\"sid\":");
        bystander.send("40");
        assertThat(bystander.nextText()).startsWith("40{\"sid\":\"");
        bystander.nextText(); // the interop application's "auth" event
    }

    @AfterEach
    void closeAll() throws Exception {
        for (AutoCloseable c : opened) {
            c.close();
        }
        opened.clear();
    }

    // ---- reserved bits: no extension was negotiated, so RSV1-3 must be 0 (RFC 6455 5.2) ----

    @ParameterizedTest(name = "first byte 0x{0}")
    @ValueSource(strings = {"C1" /* RSV1 */, "A1" /* RSV2 */, "91" /* RSV3 */, "F1" /* all three */})
    void textFrameWithReservedBits(String firstByte) throws Exception {
        assertRefused(Integer.parseInt(firstByte, 16), "42[\"message\",1]".getBytes(StandardCharsets.UTF_8), true, 1002);
    }

    @Test
    void pingFrameWithReservedBit() throws Exception {
        assertRefused(0x80 | 0x40 | 0x9, new byte[0], true, 1002);
    }

    // ---- reserved opcodes: 3-7 (data) and 0xB-0xF (control) ----

    @ParameterizedTest(name = "opcode {0}")
    @ValueSource(ints = {3, 4, 5, 6, 7, 0xB, 0xC, 0xD, 0xE, 0xF})
    void reservedOpcode(int opcode) throws Exception {
        assertRefused(0x80 | opcode, "4".getBytes(StandardCharsets.UTF_8), true, 1002);
    }

    // ---- fragmentation ----

    @Test
    void continuationFrameWithoutAStart() throws Exception {
        assertRefused(0x80 /* FIN, opcode 0 */, "42[\"message\",1]".getBytes(StandardCharsets.UTF_8), true, 1002);
    }

    @Test
    void fragmentedControlFrame() throws Exception {
        assertRefused(0x09 /* ping without FIN */, "x".getBytes(StandardCharsets.UTF_8), true, 1002);
    }

    @Test
    void controlFrameLongerThan125Bytes() throws Exception {
        assertRefused(0x89, new byte[200], true, 1002);
    }

    @Test
    void newDataFrameInsideAFragmentedMessage() throws Exception {
        try (Attack a = joinedAttack()) {
            a.ws.send(0x01 /* text, no FIN */, "42[\"mess".getBytes(StandardCharsets.UTF_8), true);
            a.ws.send(0x81 /* a new text frame, not a continuation */, "age\",1]".getBytes(StandardCharsets.UTF_8),
                    true);
            a.assertClosed(1002, "a text frame inside a fragmented message");
        }
    }

    // ---- masking: every client frame must be masked (RFC 6455 5.1) ----

    /** Fixed with the Grizzly transport: Tyrus delivered unmasked frames (an unmasked "40" got the CONNECT reply). */
    @Test
    void unmaskedClientFrame() throws Exception {
        assertRefused(0x81, "42[\"message\",1]".getBytes(StandardCharsets.UTF_8), false, 1002);
    }

    // ---- close frames ----

    @ParameterizedTest(name = "close code {0}")
    @ValueSource(ints = {0, 999, 1004, 1005, 1006, 1015, 1100, 2999, 5000})
    void closeFrameWithABadCode(int code) throws Exception {
        assertRefused(0x88, new byte[]{(byte) (code >>> 8), (byte) code}, true, 1002);
    }

    @Test
    void closeFrameWithAOneBytePayload() throws Exception {
        assertRefused(0x88, new byte[]{3}, true, 1002);
    }

    @Test
    void textFrameWithInvalidUtf8() throws Exception {
        assertRefused(0x81, new byte[]{'4', '2', (byte) 0xC3, (byte) 0x28}, true, 1007);
    }

    // ---- the control: a conforming frame sequence is served ----

    @Test
    void wellFormedFragmentedMessageIsServed() throws Exception {
        try (Attack a = attack()) {
            a.ws.sendText("40");
            assertThat(a.ws.readAnsweringPings().text()).startsWith("40{\"sid\":\"");
            a.ws.readAnsweringPings(); // "auth"
            a.ws.send(0x01, "42[\"mess".getBytes(StandardCharsets.UTF_8), true);
            a.ws.send(0x89, "keep".getBytes(StandardCharsets.UTF_8), true); // a ping between fragments is allowed
            a.ws.send(0x80, "age\",\"frag\"]".getBytes(StandardCharsets.UTF_8), true);
            RawWebSocket.Frame pong = a.ws.readAnsweringPings();
            assertThat(pong.opcode()).as("WebSocket pong").isEqualTo(0xA);
            RawWebSocket.Frame echo = a.ws.readAnsweringPings();
            assertThat(echo.text()).startsWith("42[\"message-back\",\"frag\"");
            a.ws.send(0x88, new byte[]{0x03, (byte) 0xE8}, true); // 1000: a normal close is echoed
            assertThat(a.ws.readAnsweringPings().closeCode()).isEqualTo(1000);
        }
        assertServerFine();
    }

    // ---- helpers ----

    private void assertRefused(int firstByte, byte[] payload, boolean masked, int expectedCode) throws Exception {
        try (Attack a = joinedAttack()) {
            a.ws.send(firstByte, payload, masked);
            a.assertClosed(expectedCode, String.format("first byte 0x%02X, %d bytes, %s", firstByte, payload.length,
                    masked ? "masked" : "unmasked"));
        }
        assertServerFine();
    }

    /** A raw WebSocket with its Engine.IO session open (the open packet read), and the gauge read before. */
    private Attack attack() throws Exception {
        RawWebSocket ws = RawWebSocket.open(base, EIO_WS);
        opened.add(ws);
        assertThat(ws.upgraded()).as(ws.response).isTrue();
        RawWebSocket.Frame open = ws.read();
        assertThat(open.text()).startsWith("0{\"sid\":");
        return new Attack(ws, sessionsOpen(), false);
    }

    /**
     * As {@link #attack()}, joined to "/" as well, so that the reason its socket leaves with is counted: the frame
     * check must release it ("transport close"/"transport error"), not the heartbeat ("ping timeout") a few seconds
     * later, which would also bring the gauge down within {@link #CLOSE_WITHIN_MILLIS}.
     */
    private Attack joinedAttack() throws Exception {
        Attack a = attack();
        a.ws.sendText("40");
        assertThat(a.ws.readAnsweringPings().text()).startsWith("40{\"sid\":\"");
        a.ws.readAnsweringPings(); // the interop application's "auth" event
        return new Attack(a.ws, a.sessionsBefore, true);
    }

    private final class Attack implements AutoCloseable {
        final RawWebSocket ws;
        final double sessionsBefore;
        final boolean joined;
        final double transportDisconnectsBefore;
        final double pingTimeoutsBefore;

        Attack(RawWebSocket ws, double sessionsBefore, boolean joined) throws Exception {
            this.ws = ws;
            this.sessionsBefore = sessionsBefore;
            this.joined = joined;
            this.transportDisconnectsBefore = disconnects(TRANSPORT_REASONS);
            this.pingTimeoutsBefore = disconnects(List.of("ping timeout"));
        }

        /** A close frame with the code (or a dropped connection) in time, then the session released. */
        void assertClosed(int expectedCode, String what) throws Exception {
            long start = System.nanoTime();
            ws.socket.setSoTimeout((int) CLOSE_WITHIN_MILLIS);
            RawWebSocket.Frame f;
            List<String> seen = new ArrayList<>();
            while (true) {
                try {
                    f = ws.readAnsweringPings();
                } catch (java.net.SocketTimeoutException e) {
                    throw new AssertionError("connection still open " + CLOSE_WITHIN_MILLIS + " ms after " + what
                            + "; frames seen: " + seen);
                }
                if (f.opcode() == 8 || f == RawWebSocket.Frame.EOF) {
                    break;
                }
                seen.add("opcode " + f.opcode() + ": " + f.text());
            }
            long took = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            System.out.printf("%s -> %s after %d ms%n", what, f == RawWebSocket.Frame.EOF ? "TCP close"
                    : "close " + f.closeCode() + " " + new String(f.payload(), 2, Math.max(0, f.payload().length - 2),
                    StandardCharsets.UTF_8), took);
            if (f.opcode() == 8) {
                assertThat(f.closeCode()).as("close code after %s", what).isEqualTo(expectedCode);
            }
            assertThat(took).as("close after %s", what).isLessThan(CLOSE_WITHIN_MILLIS);
            assertThat(seen).as("data frames after %s", what).isEmpty();
            // the session the attacker opened is gone (the gauge counted it before the attack)
            long deadline = System.currentTimeMillis() + CLOSE_WITHIN_MILLIS;
            double now = sessionsOpen();
            while (now > sessionsBefore - 1 && System.currentTimeMillis() < deadline) {
                Thread.sleep(100);
                now = sessionsOpen();
            }
            assertThat(now).as("engineio_sessions_open after %s (was %s with the attacker)", what, sessionsBefore)
                    .isLessThanOrEqualTo(sessionsBefore - 1);
            if (joined) {
                while (disconnects(TRANSPORT_REASONS) - transportDisconnectsBefore < 1
                        && System.currentTimeMillis() < deadline) {
                    Thread.sleep(100);
                }
                assertThat(disconnects(List.of("ping timeout")) - pingTimeoutsBefore)
                        .as("sockets released by the heartbeat after %s", what).isZero();
                assertThat(disconnects(TRANSPORT_REASONS) - transportDisconnectsBefore)
                        .as("sockets released by the transport close after %s", what).isGreaterThanOrEqualTo(1);
            }
        }

        @Override
        public void close() {
            ws.close();
        }
    }

    /** The bystander connected before the attack gets its echo; fresh polling and WebSocket handshakes work. */
    private void assertServerFine() throws Exception {
        String token = "still-here-" + SEQ.incrementAndGet();
        bystander.send("42[\"message\",\"" + token + "\"]");
        assertThat(bystander.nextText()).startsWith("42[\"message-back\",\"" + token + "\"");
        assertThat(bystander.closed).as("the bystander stays connected").isNotDone();
        HttpResponse<String> poll = get("/socket.io/?EIO=4&transport=polling");
        assertThat(poll.statusCode()).isEqualTo(200);
        assertThat(poll.body()).startsWith("0{\"sid\":");
        try (RawWebSocket fresh = RawWebSocket.open(base, EIO_WS)) {
            assertThat(fresh.upgraded()).as(fresh.response).isTrue();
            assertThat(fresh.read().text()).startsWith("0{\"sid\":");
        }
    }

    private double sessionsOpen() throws Exception {
        HttpResponse<String> r = get("/metrics");
        assertThat(r.statusCode()).isEqualTo(200);
        Matcher m = GAUGE.matcher(r.body());
        double sum = 0;
        boolean found = false;
        while (m.find()) {
            sum += Double.parseDouble(m.group(1));
            found = true;
        }
        assertThat(found).as("engineio_sessions_open in /metrics").isTrue();
        return sum;
    }

    /** socketio_disconnects_total summed over namespaces for the given reasons. */
    private double disconnects(List<String> reasons) throws Exception {
        HttpResponse<String> r = get("/metrics");
        assertThat(r.statusCode()).isEqualTo(200);
        double sum = 0;
        for (String reason : reasons) {
            Matcher m = Pattern.compile("(?m)^socketio_disconnects_total\\{[^}]*reason=\"" + Pattern.quote(reason)
                    + "\"[^}]*} ([0-9.eE+-]+)$").matcher(r.body());
            while (m.find()) {
                sum += Double.parseDouble(m.group(1));
            }
        }
        return sum;
    }

    private HttpResponse<String> get(String pathAndQuery) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(root() + pathAndQuery)).timeout(Duration.ofSeconds(10))
                .build(), HttpResponse.BodyHandlers.ofString());
    }

    private String root() {
        return base.toString().replaceAll("/+$", "");
    }
}
