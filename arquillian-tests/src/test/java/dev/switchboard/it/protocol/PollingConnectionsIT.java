package dev.switchboard.it.protocol;

import dev.switchboard.it.Deployments;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Polling requests over raw HTTP/1.1 connections, as the listener sees them (the polling transport answers on
 * Payara's Grizzly listener, below the servlet container): keep-alive across a held GET, a body in chunks that arrive
 * apart, an oversized body that is refused while it is still arriving, {@code Expect: 100-continue}, a client that
 * goes away while its GET is held, HTTP/1.0, and every answer carrying the request id. The echo endpoint
 * (/engine.io/) of the interop profile: heartbeat 1500/1000 ms, maxHttpBufferSize 100000.
 */
@EnabledIfSystemProperty(named = "switchboard.itProperties", matches = ".*interop\\.properties",
        disabledReason = "needs the interop test application (failsafe's protocol execution); -Dit.test selects this "
                + "class in every execution")
@ExtendWith(ArquillianExtension.class)
class PollingConnectionsIT {
    private static final String PATH = "/engine.io/?EIO=4&transport=polling";

    @Deployment(testable = false)
    static WebArchive war() {
        return Deployments.builtWar();
    }

    @ArquillianResource
    URL base;

    /** A response as read off the connection. */
    private record Response(String head, String body) {
        int status() {
            return Integer.parseInt(head.split(" ")[1]);
        }

        String header(String name) {
            return head.lines().filter(l -> l.toLowerCase(Locale.ROOT).startsWith(name.toLowerCase(Locale.ROOT) + ":"))
                    .map(l -> l.substring(l.indexOf(':') + 1).trim()).findFirst().orElse(null);
        }
    }

    @Test
    void oneConnectionCarriesHandshakePostsAndHeldGetsInTurn() throws Exception {
        try (Socket s = RawWebSocket.connect(base)) {
            Response open = exchange(s, "GET " + PATH + " HTTP/1.1\r\nHost: x\r\n\r\n");
            assertThat(open.status()).isEqualTo(200);
            String sid = sid(open.body());
            // held until the first ping (1500 ms after the handshake), answered on this same connection
            long start = System.nanoTime();
            Response held = exchange(s, get(sid));
            assertThat(held.body()).isEqualTo("2");
            assertThat((System.nanoTime() - start) / 1_000_000).isGreaterThan(500);
            assertThat(exchange(s, post(sid, "3")).body()).isEqualTo("ok");
            for (int i = 0; i < 3; i++) {
                assertThat(exchange(s, post(sid, "4hello" + i)).body()).isEqualTo("ok");
                assertThat(packets(s, sid)).containsExactly("4hello" + i); // the echo, at once
            }
            assertThat(exchange(s, post(sid, "1")).body()).isEqualTo("ok");
        }
    }

    @Test
    void aKeepAliveConnectionIsNotClosedAfterAFixedNumberOfRequests() throws Exception {
        // Grizzly's default closed a connection after its 250th request: a client polling at 20 messages a second
        // lost its connection (and its held GET) every 12 s. 300 echo round trips are 600 requests on one connection.
        try (Socket s = RawWebSocket.connect(base)) {
            String sid = sid(exchange(s, "GET " + PATH + " HTTP/1.1\r\nHost: x\r\n\r\n").body());
            for (int i = 0; i < 300; i++) {
                Response posted = exchange(s, post(sid, "4m" + i));
                assertThat(posted.body()).as("POST %d", i).isEqualTo("ok");
                assertThat(posted.header("Connection")).as("POST %d", i).isNotEqualToIgnoringCase("close");
                java.util.List<String> got = new java.util.ArrayList<>();
                while (got.isEmpty()) { // a heartbeat ping (every 1.5 s here) may come first: answered, and read on
                    Response polled = exchange(s, get(sid));
                    assertThat(polled.header("Connection")).as("GET %d", i).isNotEqualToIgnoringCase("close");
                    for (String packet : polled.body().split("\u001e")) {
                        if (packet.equals("2")) {
                            assertThat(exchange(s, post(sid, "3")).header("Connection")).isNotEqualToIgnoringCase("close");
                        } else {
                            got.add(packet);
                        }
                    }
                }
                assertThat(got).as("GET %d", i).containsExactly("4m" + i);
            }
        }
    }

    @Test
    void aConnectionSharedWithOtherRequestsServesEachInTurn() throws Exception {
        // a browser reuses its keep-alive connections for any request to the origin: after a poll, this
        // connection's reads are handled on the selector thread, and a request that is not the engine's is handed
        // to the worker pool (a servlet may block)
        try (Socket s = RawWebSocket.connect(base)) {
            for (int i = 0; i < 3; i++) {
                Response open = exchange(s, "GET " + PATH + " HTTP/1.1\r\nHost: x\r\n\r\n");
                String sid = sid(open.body());
                Response health = exchange(s, "GET /health/live HTTP/1.1\r\nHost: x\r\n\r\n");
                assertThat(health.status()).isEqualTo(200);
                assertThat(health.body()).contains("UP");
                assertThat(exchange(s, post(sid, "4x" + i)).body()).isEqualTo("ok");
                Response missing = exchange(s, "POST /api/nothing-here HTTP/1.1\r\nHost: x\r\n"
                        + "Content-Length: 5\r\n\r\nhello");
                assertThat(missing.status()).isEqualTo(404);
                assertThat(packets(s, sid)).containsExactly("4x" + i);
                assertThat(exchange(s, post(sid, "1")).body()).isEqualTo("ok");
            }
        }
    }

    @Test
    void aBodyInChunksThatArriveApartIsReadWhole() throws Exception {
        try (Socket s = RawWebSocket.connect(base)) {
            String sid = open(s);
            OutputStream out = postHead(s, sid, "Transfer-Encoding: chunked\r\n", "3\r\n4ab\r\n");
            Thread.sleep(300);
            out.write("4\r\nc\u001e4d\r\n0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            assertThat(read(s.getInputStream()).body()).isEqualTo("ok");
            assertThat(packets(s, sid)).containsExactly("4abc", "4d");
        }
    }

    @Test
    void anOversizedBodyIsRefusedBeforeItEndsAndTheServerStaysUp() throws Exception {
        try (Socket s = RawWebSocket.connect(base)) {
            String sid = open(s);
            OutputStream out = postHead(s, sid, "Transfer-Encoding: chunked\r\n", "");
            byte[] chunk = ("c350\r\n" + "4".repeat(50_000) + "\r\n").getBytes(StandardCharsets.US_ASCII);
            for (int i = 0; i < 3; i++) { // 150 KB, over the 100 KB limit; the client has not finished
                out.write(chunk);
            }
            out.flush();
            Response refused = read(s.getInputStream());
            assertThat(refused.status()).isEqualTo(413);
            assertThat(refused.body()).contains("\"code\":");
        }
        assertServing();
    }

    @Test
    void expectContinueIsAnswered() throws Exception {
        try (Socket s = RawWebSocket.connect(base)) {
            String sid = open(s);
            postHead(s, sid, "Expect: 100-continue\r\nContent-Length: 3\r\n", "");
            OutputStream out = s.getOutputStream();
            InputStream in = s.getInputStream();
            String interim = RawWebSocket.readHead(in);
            assertThat(interim).startsWith("HTTP/1.1 100");
            out.write("4hi".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            assertThat(read(in).body()).isEqualTo("ok");
            assertThat(packets(s, sid)).containsExactly("4hi");
        }
    }

    @Test
    void aClientThatLeavesWhileItsGetIsHeldLeavesTheServerServing() throws Exception {
        String sid;
        try (Socket s = RawWebSocket.connect(base)) {
            sid = sid(exchange(s, "GET " + PATH + " HTTP/1.1\r\nHost: x\r\n\r\n").body());
            s.getOutputStream().write(get(sid).getBytes(StandardCharsets.US_ASCII));
            s.getOutputStream().flush();
            Thread.sleep(200);
        } // closed while held
        try (Socket s = RawWebSocket.connect(base)) {
            // the session is still there until its heartbeat ends it; a new GET for it is answered in turn
            Response r = exchange(s, get(sid));
            assertThat(r.status()).isIn(200, 400);
        }
        assertServing();
    }

    @Test
    void http10AndConnectionCloseEndTheConnectionAfterTheAnswer() throws Exception {
        for (String request : new String[] {"GET " + PATH + " HTTP/1.0\r\n\r\n",
                "GET " + PATH + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"}) {
            try (Socket s = RawWebSocket.connect(base)) {
                Response r = exchange(s, request);
                assertThat(r.status()).isEqualTo(200);
                assertThat(r.body()).startsWith("0{\"sid\":");
                assertThat(s.getInputStream().read()).as("closed after the answer").isEqualTo(-1);
            }
        }
    }

    @Test
    void everyAnswerCarriesTheRequestIdAndNoCachingHeaders() throws Exception {
        try (Socket s = RawWebSocket.connect(base)) {
            Response r = exchange(s, "GET " + PATH + " HTTP/1.1\r\nHost: x\r\nX-Request-Id: poll-test-42\r\n\r\n");
            assertThat(r.header("X-Request-Id")).isEqualTo("poll-test-42");
            assertThat(r.header("Cache-Control")).isEqualTo("no-store");
            assertThat(r.header("X-Content-Type-Options")).isEqualTo("nosniff");
            assertThat(r.header("Server")).as("no product or version (pre-boot-commands.txt)").isNull();
            Response bad = exchange(s, "GET /engine.io/?EIO=3&transport=polling HTTP/1.1\r\nHost: x\r\n\r\n");
            assertThat(bad.status()).isEqualTo(400);
            assertThat(bad.header("X-Request-Id")).isNotBlank();
            assertThat(bad.body()).isEqualTo("{\"code\":5,\"message\":\"Unsupported protocol version\"}");
        }
    }

    @Test
    void nothingOfOneRequestCarriesOverToTheNextOnTheConnection() throws Exception {
        // the listener reuses a finished request's objects for the next one (as Grizzly's own HTTP server does):
        // each answer must be about its own request only
        try (Socket s = RawWebSocket.connect(base)) {
            Response open = exchange(s, "GET " + PATH + " HTTP/1.1\r\nHost: x\r\nX-Request-Id: first-1\r\n\r\n");
            String sid = sid(open.body());
            assertThat(open.header("X-Request-Id")).isEqualTo("first-1");
            Response posted = exchange(s, "POST " + PATH + "&sid=" + sid + " HTTP/1.1\r\nHost: x\r\n"
                    + "X-Request-Id: second-2\r\nContent-Length: 3\r\n\r\n4ab");
            assertThat(posted.body()).isEqualTo("ok");
            assertThat(posted.header("X-Request-Id")).isEqualTo("second-2");
            Response echoed = exchange(s, get(sid)); // no request id: a new one, not the last request's
            assertThat(echoed.body()).isEqualTo("4ab");
            assertThat(echoed.header("X-Request-Id")).isNotBlank().isNotIn("first-1", "second-2");
            for (int i = 0; i < 2; i++) { // held until the ping, answered from the heartbeat's thread
                Response ping = exchange(s, get(sid));
                assertThat(ping.body()).isEqualTo("2");
                assertThat(ping.header("X-Request-Id")).isNotBlank().isNotIn("first-1", "second-2");
                assertThat(exchange(s, post(sid, "3")).header("X-Request-Id")).isNotIn("first-1", "second-2");
            }
            // another session's id on the same connection is that one's, not the last request's
            Response other = exchange(s, "GET " + PATH + "&sid=nosuchsession HTTP/1.1\r\nHost: x\r\n\r\n");
            assertThat(other.status()).isEqualTo(400);
            assertThat(other.body()).isEqualTo("{\"code\":1,\"message\":\"Session ID unknown\"}");
            // (a 400 closes the connection: Grizzly's HTTP codec does so for every 400)
        }
    }

    // ---- helpers ----

    /** A polling handshake on the connection; its sid. */
    private static String open(Socket s) throws IOException {
        return sid(exchange(s, "GET " + PATH + " HTTP/1.1\r\nHost: x\r\n\r\n").body());
    }

    /** Sends a POST's head with the given header lines, then the start of its body; the stream, for the rest. */
    private static OutputStream postHead(Socket s, String sid, String headers, String bodyStart) throws IOException {
        OutputStream out = s.getOutputStream();
        out.write(("POST " + PATH + "&sid=" + sid + " HTTP/1.1\r\nHost: x\r\n" + headers + "\r\n" + bodyStart)
                .getBytes(StandardCharsets.US_ASCII));
        out.flush();
        return out;
    }

    private static String get(String sid) {
        return "GET " + PATH + "&sid=" + sid + " HTTP/1.1\r\nHost: x\r\n\r\n";
    }

    private static String post(String sid, String body) {
        byte[] b = body.getBytes(StandardCharsets.UTF_8);
        return "POST " + PATH + "&sid=" + sid + " HTTP/1.1\r\nHost: x\r\nContent-Type: text/plain;charset=UTF-8\r\n"
                + "Content-Length: " + b.length + "\r\n\r\n" + body;
    }

    /** A GET's packets, pings left out (and answered, so that a slow run keeps its session). */
    private static java.util.List<String> packets(Socket s, String sid) throws IOException {
        java.util.List<String> out = new java.util.ArrayList<>(java.util.List.of(exchange(s, get(sid)).body()
                .split("\u001e")));
        if (out.removeIf("2"::equals)) {
            assertThat(exchange(s, post(sid, "3")).body()).isEqualTo("ok");
        }
        return out;
    }

    private static String sid(String open) {
        assertThat(open).startsWith("0{\"sid\":\"");
        return open.substring(9, open.indexOf('"', 9));
    }

    private static Response exchange(Socket s, String request) throws IOException {
        s.getOutputStream().write(request.getBytes(StandardCharsets.UTF_8));
        s.getOutputStream().flush();
        return read(s.getInputStream());
    }

    /** One response with a Content-Length body (the server always sends one). */
    private static Response read(InputStream in) throws IOException {
        String head = RawWebSocket.readHead(in);
        assertThat(head).as("a response").startsWith("HTTP/1.");
        Response r = new Response(head, "");
        String length = r.header("Content-Length");
        assertThat(length).as("Content-Length in %s", head).isNotNull();
        byte[] body = in.readNBytes(Integer.parseInt(length));
        return new Response(head, new String(body, StandardCharsets.UTF_8));
    }

    private void assertServing() throws Exception {
        try (Socket s = RawWebSocket.connect(base)) {
            Response r = exchange(s, "GET " + PATH + " HTTP/1.1\r\nHost: x\r\n\r\n");
            assertThat(r.status()).isEqualTo(200);
            String sid = sid(r.body());
            assertThat(exchange(s, post(sid, "4ping")).body()).isEqualTo("ok");
            assertThat(packets(s, sid)).containsExactly("4ping");
        }
    }
}
