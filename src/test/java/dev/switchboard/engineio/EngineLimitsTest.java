package dev.switchboard.engineio;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** switchboard.max-connections and switchboard.handshake-rate: handshakes over them are refused with a reason. */
class EngineLimitsTest {
    private final List<String> refused = new ArrayList<>();
    private final List<String> opened = new ArrayList<>();

    private EngineHarness harness(EngineLimits limits) {
        EngineHarness h = new EngineHarness();
        h.server.setLimits(limits);
        h.server.setMetrics(new EngineMetrics() {
            @Override public void sessionOpened(String transport) { opened.add(transport); }
            @Override public void handshakeRefused(String reason) { refused.add(reason); }
        });
        return h;
    }

    @Test
    void handshakesOverTheConnectionLimitGet503UntilASessionCloses() {
        EngineHarness h = harness(new EngineLimits(2, 0));
        String first = h.handshake();
        h.handshake();
        FakePollExchange third = h.poll("GET", "EIO=4&transport=polling");
        assertThat(third.status()).isEqualTo(503);
        assertThat(third.bodyText()).contains("connection limit");
        EngineHarness.Ws ws = h.websocket(null);
        assertThat(ws.connection().closed()).isTrue();
        assertThat(ws.connection().closeCode).isEqualTo(1013);
        assertThat(refused).containsExactly("max_connections", "max_connections");

        h.post(first, "1"); // the client closes: its session lingers for a late GET but no longer counts
        assertThat(h.server.sessionCount()).isEqualTo(2);
        assertThat(h.server.openSessionCount()).isEqualTo(1);
        assertThat(h.poll("GET", "EIO=4&transport=polling").status()).isEqualTo(200);
        assertThat(opened).containsExactly("polling", "polling", "polling");
        assertThat(h.server.openSessionCount()).isEqualTo(2);
    }

    @Test
    void aSessionTheServerClosedBetweenPollsDoesNotCountAgainstTheLimitWhileItWaitsForItsClient() {
        EngineHarness h = harness(new EngineLimits(1, 0));
        String first = h.handshake();
        h.handler.sockets.get(0).close(CloseReason.SERVER_SHUTDOWN); // kept up to 5 s for the client's next GET
        assertThat(h.server.sessionCount()).isEqualTo(1);
        assertThat(h.server.openSessionCount()).isZero();
        String second = h.handshake();
        assertThat(second).isNotEqualTo(first);
        assertThat(h.get(first).bodyText()).isEqualTo("1"); // the first client still learns of the close
        assertThat(h.server.sessionCount()).isEqualTo(1);
        assertThat(h.server.openSessionCount()).isEqualTo(1);
        assertThat(refused).isEmpty();
    }

    @Test
    void handshakesOverThePerAddressRateGet429ForTheRestOfTheSecond() {
        EngineHarness h = harness(new EngineLimits(0, 3));
        for (int i = 0; i < 3; i++) {
            h.handshake();
        }
        FakePollExchange fourth = h.poll("GET", "EIO=4&transport=polling");
        assertThat(fourth.status()).isEqualTo(429);
        assertThat(fourth.bodyText()).contains("Too many handshakes");
        assertThat(refused).containsExactly("rate_limited");
        assertThat(h.server.sessionCount()).isEqualTo(3);
        h.scheduler.advance(1000);
        assertThat(h.poll("GET", "EIO=4&transport=polling").status()).isEqualTo(200);
    }

    @Test
    void noLimitsByDefault() {
        EngineHarness h = new EngineHarness();
        for (int i = 0; i < 50; i++) {
            h.handshake();
        }
        assertThat(h.server.sessionCount()).isEqualTo(50);
    }

    @Test
    void stoppedServerRefusesWith503AndCountsIt() {
        EngineHarness h = harness(EngineLimits.NONE);
        h.server.stopAccepting();
        FakePollExchange r = h.poll("GET", "EIO=4&transport=polling");
        assertThat(r.status()).isEqualTo(503);
        assertThat(refused).containsExactly("shutting_down");
        assertThat(h.server.isAccepting()).isFalse();
    }
}
