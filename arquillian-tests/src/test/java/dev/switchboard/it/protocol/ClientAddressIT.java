package dev.switchboard.it.protocol;

import dev.switchboard.it.PayaraNodes;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The handshake rate limit (switchboard.handshake-rate) counts per client address, and a client cannot choose its
 * address: X-Forwarded-For is believed only from a trusted proxy (switchboard.trusted-proxies). Before, a WebSocket
 * handshake was keyed on that header alone, so a client without it was never limited and one that sent a fresh value
 * each time never was either. Its own node (ports 3900-3919) with 5 handshakes per second and 127.0.0.1 as the
 * trusted proxy; "direct clients" connect from 127.0.0.2 (all of 127/8 is loopback on Linux).
 */
@EnabledIfSystemProperty(named = "switchboard.itProperties", matches = ".*interop\\.properties",
        disabledReason = "runs in failsafe's protocol execution (its properties are the base of this server's)")
class ClientAddressIT {
    private static final int RATE = 5;
    private static final int ATTEMPTS = 20;
    private static final String WEBSOCKET = "/socket.io/?EIO=4&transport=websocket";
    private static final String POLLING = "/socket.io/?EIO=4&transport=polling";

    @AutoClose
    private static PayaraNodes node;
    private static URL base;

    @BeforeAll
    static void start() throws Exception {
        Path workDir = PayaraNodes.workDir("client-address-");
        Path properties = PayaraNodes.properties(workDir, "client-address.properties",
                "# ClientAddressIT\nswitchboard.handshake-rate=" + RATE + "\nswitchboard.trusted-proxies=127.0.0.1\n");
        node = PayaraNodes.start(workDir, properties, 1, 3900, 3919, PayaraNodes.defaultJvmOptions());
        base = new URL(node.url(0) + "/");
    }

    @BeforeEach
    void freshWindow() throws InterruptedException {
        TimeUnit.MILLISECONDS.sleep(1100); // the limiter counts in one-second windows
    }

    @Test
    void aDirectWebSocketClientCannotDodgeTheLimitWithForwardedFor() throws Exception {
        Outcome o = attempts(i -> upgrade("127.0.0.2", "X-Forwarded-For: 203.0.113." + i + "\r\n"));
        assertThat(o.refused).as("refused with close 1013 (%s)", o).isPositive();
        assertThat(o.accepted).as("accepted at most %d per second (%s)", RATE, o).isLessThanOrEqualTo(o.allowed());
    }

    @Test
    void aDirectWebSocketClientWithoutForwardedForIsLimited() throws Exception {
        Outcome o = attempts(i -> upgrade("127.0.0.2", ""));
        assertThat(o.refused).as("refused with close 1013 (%s)", o).isPositive();
        assertThat(o.accepted).as("%s", o).isLessThanOrEqualTo(o.allowed());
    }

    @Test
    void aDirectPollingClientCannotDodgeTheLimitWithForwardedFor() throws Exception {
        Outcome o = attempts(i -> poll("127.0.0.2", "X-Forwarded-For: 198.51.100." + i + "\r\n"));
        assertThat(o.refused).as("refused with 429 (%s)", o).isPositive();
        assertThat(o.accepted).as("%s", o).isLessThanOrEqualTo(o.allowed());
    }

    @Test
    void behindTheTrustedProxyEachForwardedClientHasItsOwnLimit() throws Exception {
        Outcome ws = attempts(i -> upgrade("127.0.0.1", "X-Forwarded-For: 10.9.0." + i + "\r\n"));
        assertThat(ws.refused).as("%s", ws).isZero();
        Outcome polling = attempts(i -> poll("127.0.0.1",
                "X-Forwarded-For: 192.0.2.7, 10.8.0." + i + "\r\n")); // the nearest untrusted hop counts
        assertThat(polling.refused).as("%s", polling).isZero();
    }

    @Test
    void theTrustedProxyItselfIsLimitedLikeAnyClient() throws Exception {
        Outcome o = attempts(i -> upgrade("127.0.0.1", ""));
        assertThat(o.refused).as("%s", o).isPositive();
    }

    @Test
    void garbageInForwardedForFallsBackToTheProxysAddress() throws Exception {
        // a trusted proxy passing on a header it did not write: its own address counts, one bucket for all of them
        Outcome o = attempts(i -> upgrade("127.0.0.1", "X-Forwarded-For: not-an-address-" + i + "\r\n"));
        assertThat(o.refused).as("%s", o).isPositive();
        assertThat(o.accepted).as("%s", o).isLessThanOrEqualTo(o.allowed());
    }

    // ---- helpers ----

    private interface Attempt {
        boolean accepted(int i) throws IOException;
    }

    private record Outcome(int accepted, int refused, long millis) {
        /** What the limiter may let through in the windows the attempts spanned. */
        int allowed() {
            return RATE * (int) (millis / 1000 + 2);
        }
    }

    private static Outcome attempts(Attempt attempt) throws IOException {
        int accepted = 0;
        long start = System.nanoTime();
        for (int i = 1; i <= ATTEMPTS; i++) {
            if (attempt.accepted(i)) {
                accepted++;
            }
        }
        return new Outcome(accepted, ATTEMPTS - accepted, (System.nanoTime() - start) / 1_000_000);
    }

    private static Socket from(String localAddress) throws IOException {
        Socket s = new Socket();
        s.bind(new InetSocketAddress(localAddress, 0));
        s.connect(new InetSocketAddress("127.0.0.1", base.getPort()), 5_000);
        s.setSoTimeout(10_000);
        return s;
    }

    /** True when the session opened; false when the server closed it with 1013 right after the upgrade. */
    private static boolean upgrade(String from, String headers) throws IOException {
        try (RawWebSocket ws = RawWebSocket.open(from(from), base, WEBSOCKET, headers)) {
            assertThat(ws.upgraded()).as(ws.response).isTrue();
            RawWebSocket.Frame first = ws.read();
            if (first.opcode() == 8) {
                assertThat(first.closeCode()).as("close code").isEqualTo(1013);
                return false;
            }
            assertThat(first.text()).startsWith("0{\"sid\":");
            return true;
        }
    }

    /** True for 200 with an open packet, false for 429. */
    private static boolean poll(String from, String headers) throws IOException {
        try (Socket s = from(from)) {
            OutputStream out = s.getOutputStream();
            out.write(("GET " + POLLING + " HTTP/1.1\r\nHost: 127.0.0.1:" + base.getPort() + "\r\n" + headers
                    + "Connection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            String head = RawWebSocket.readHead(s.getInputStream());
            String status = head.lines().findFirst().orElse("");
            assertThat(status).as(head).matches("HTTP/1\\.1 (200|429).*");
            return status.startsWith("HTTP/1.1 200");
        }
    }
}
