package dev.switchboard.container;

import dev.switchboard.engineio.EngineHarness;
import dev.switchboard.engineio.EngineOptions;
import dev.switchboard.engineio.EngineServer;
import dev.switchboard.engineio.EngineSocket;
import dev.switchboard.engineio.FakePollExchange;
import dev.switchboard.socketio.SocketIoOptions;
import dev.switchboard.socketio.SocketIoServer;
import dev.switchboard.testing.FakeScheduler;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The drain on a real Socket.IO server over a polling session: new handshakes 503, an event being handled finishes
 * and its ack reaches the client before the close, later events are not dispatched, and a handler that never
 * returns cannot hold the shutdown past the timeout.
 */
class GracefulDrainTest {
    private final FakeScheduler clock = new FakeScheduler();
    private final SocketIoServer io = new SocketIoServer(SocketIoOptions.defaults(), clock, clock);
    private final EngineServer engine = new EngineServer(EngineOptions.defaults(), clock, clock, io);
    private final CountDownLatch started = new CountDownLatch(1);
    private final CountDownLatch release = new CountDownLatch(1);
    private final AtomicInteger handled = new AtomicInteger();
    private String sid;
    private Thread worker;

    @BeforeEach
    void connect() {
        io.sockets().onConnection(socket -> socket.on("work", (args, ack) -> {
            handled.incrementAndGet();
            started.countDown();
            try {
                release.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            ack.send("done");
        }));
        FakePollExchange open = poll("GET", "", null);
        sid = EngineHarness.sidOf(open.bodyText());
        assertThat(poll("POST", "&sid=" + sid, "40").bodyText()).isEqualTo("ok");
        assertThat(poll("GET", "&sid=" + sid, null).bodyText()).startsWith("40{");
    }

    @AfterEach
    void releaseWorker() throws InterruptedException {
        release.countDown();
        if (worker != null) {
            worker.join(5_000);
        }
    }

    @Test
    void inFlightWorkFinishesAndIsAcknowledgedBeforeTheClose() throws Exception {
        startWork();
        FakePollExchange held = poll("GET", "&sid=" + sid, null);
        assertThat(held.answered()).isFalse();

        FakePollExchange[] next = new FakePollExchange[1];
        GracefulDrain.Outcome outcome = new GracefulDrain(clock, millis -> {
            release.countDown();
            if (held.answered() && next[0] == null) {
                next[0] = poll("GET", "&sid=" + sid, null); // as a client polls again at once
            }
            clock.advance(millis);
            Thread.sleep(1);
        }).run(io, List.of(engine), 5_000);

        assertThat(outcome.inFlightFinished()).isTrue();
        assertThat(outcome.sessionsClosed()).isTrue();
        worker.join(5_000);
        assertThat(held.bodyText()).contains("431[\"done\"]"); // the ack went out before the close
        assertThat(next[0].bodyText()).endsWith("1");
        assertThat(engine.sessionCount()).isZero();
        assertThat(poll("GET", "", null).status()).isEqualTo(503);
    }

    @Test
    void aPollingClientBetweenTwoPollsIsToldOnItsNextGetAndTheDrainWaitsForIt() {
        FakePollExchange[] next = new FakePollExchange[1];
        GracefulDrain.Outcome outcome = new GracefulDrain(clock, millis -> {
            if (next[0] == null && engine.sessions().stream().noneMatch(EngineSocket::isOpen)) {
                next[0] = poll("GET", "&sid=" + sid, null);
            }
            clock.advance(millis);
            Thread.sleep(1); // real time for the closing thread, whatever the fake clock says
        }).run(io, List.of(engine), 5_000);

        assertThat(outcome.sessionsClosed()).isTrue();
        assertThat(next[0].status()).isEqualTo(200);
        assertThat(next[0].bodyText()).endsWith("1"); // the Engine.IO close packet, not an "unknown sid" error
        assertThat(engine.sessionCount()).isZero();
    }

    @Test
    void eventsArrivingWhileDrainingAreNotDispatched() {
        io.drain();
        assertThat(poll("POST", "&sid=" + sid, "421[\"work\"]").bodyText()).isEqualTo("ok");
        assertThat(handled).hasValue(0);
        assertThat(io.inFlight()).isZero();
    }

    @Test
    void aHandlerThatNeverReturnsCannotHoldTheShutdownPastTheTimeout() throws Exception {
        startWork();
        GracefulDrain.Outcome outcome = new GracefulDrain(clock, millis -> clock.advance(millis))
                .run(io, List.of(engine), 1_000);
        assertThat(outcome.inFlightFinished()).isFalse();
        assertThat(outcome.tookMillis()).isBetween(1_000L, 1_100L);
        assertThat(io.inFlight()).isEqualTo(1);
        long until = System.currentTimeMillis() + 5_000;
        while (engine.sessions().stream().anyMatch(EngineSocket::isOpen) && System.currentTimeMillis() < until) {
            Thread.sleep(5);
        }
        // closed, though its handler is still running (its close packet waits for the client's next GET)
        assertThat(engine.sessions()).noneMatch(EngineSocket::isOpen);
        assertThat(poll("GET", "", null).status()).isEqualTo(503);
    }

    private void startWork() throws InterruptedException {
        worker = Thread.ofPlatform().start(() -> poll("POST", "&sid=" + sid, "421[\"work\"]"));
        assertThat(started.await(5, TimeUnit.SECONDS)).isTrue();
        assertThat(io.inFlight()).isEqualTo(1);
    }

    private FakePollExchange poll(String method, String query, String body) {
        FakePollExchange ex = new FakePollExchange(EngineHarness.request(method, "EIO=4&transport=polling" + query,
                Map.of()), body == null ? null : body.getBytes(StandardCharsets.UTF_8));
        engine.handlePolling(ex);
        return ex;
    }
}
