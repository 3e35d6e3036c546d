package dev.switchboard.engineio;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The per-session send-queue bound: volatile packets dropped first, then a slow consumer is closed and counted. */
class EngineSendQueueTest {
    private static final int MAX_PACKETS = 5;
    private static final long MAX_BYTES = 100;

    private final List<String> counted = new ArrayList<>();
    private final EngineHarness h = new EngineHarness(EngineHarness.testOptions()
            .withSendQueue(new SendQueueLimits(MAX_PACKETS, MAX_BYTES)));

    EngineSendQueueTest() {
        h.server.setMetrics(new EngineMetrics() {
            @Override public void packetsDropped(String reason, int count) { counted.add(reason + ":" + count); }

            @Override public void slowConsumer(String transport) { counted.add("slow:" + transport); }
        });
    }

    private EngineSession session() {
        return (EngineSession) h.handler.sockets.get(0);
    }

    @Test
    void aStalledWebSocketDropsVolatilePacketsThenClosesAsASlowConsumer() {
        EngineHarness.Ws ws = h.websocket(null);
        FakeWebSocketConnection c = ws.connection();
        c.stalled = true;
        EngineSocket socket = h.handler.sockets.get(0);
        // The first volatile packet finds the socket idle and goes; the next find a write outstanding.
        assertThat(socket.send("v0", true)).isTrue();
        assertThat(socket.isWritable()).isFalse();
        assertThat(socket.send("v1", true)).isFalse();
        assertThat(counted).containsExactly("volatile:1");
        for (int i = 0; i < MAX_PACKETS - 1; i++) {
            assertThat(socket.send("m" + i, false)).isTrue();
        }
        assertThat(session().sendQueuePackets()).isEqualTo(MAX_PACKETS);
        assertThat(h.listener().closes).isEmpty();

        assertThat(socket.send("over", false)).isFalse();
        assertThat(h.listener().closes).containsExactly(CloseReason.SLOW_CONSUMER);
        assertThat(c.closeCode).isEqualTo(1008);
        assertThat(c.closeReason).isEqualTo("slow consumer");
        assertThat(counted).containsExactly("volatile:1", "slow:websocket", "slow_consumer:" + (MAX_PACKETS + 1));
        assertThat(h.server.sessionCount()).isZero();
        assertThat(c.texts()).as("no close packet behind a backlog").doesNotContain("4over", "1");
    }

    @Test
    void aClientThatCatchesUpIsNotClosed() {
        EngineHarness.Ws ws = h.websocket(null);
        FakeWebSocketConnection c = ws.connection();
        EngineSocket socket = h.handler.sockets.get(0);
        for (int round = 0; round < 3; round++) {
            c.stalled = true;
            for (int i = 0; i < MAX_PACKETS; i++) {
                assertThat(socket.send("r" + round + "m" + i, false)).isTrue();
            }
            assertThat(h.server.sendQueueDepth()).isEqualTo(new EngineServer.SendQueueDepth(MAX_PACKETS,
                    MAX_PACKETS * 5L, MAX_PACKETS));
            c.resume();
            assertThat(session().sendQueuePackets()).isZero();
            assertThat(session().sendQueueBytes()).isZero();
            assertThat(socket.isWritable()).isTrue();
        }
        assertThat(h.listener().closes).isEmpty();
        assertThat(c.texts()).hasSize(1 + 3 * MAX_PACKETS).last().isEqualTo("4r2m4");
        assertThat(counted).isEmpty();
    }

    @Test
    void theByteBoundClosesToo() {
        EngineHarness.Ws ws = h.websocket(null);
        ws.connection().stalled = true;
        EngineSocket socket = h.handler.sockets.get(0);
        assertThat(socket.send("x".repeat(60), false)).isTrue();
        assertThat(socket.send("y".repeat(60), false)).isFalse();
        assertThat(h.listener().closes).containsExactly(CloseReason.SLOW_CONSUMER);
    }

    @Test
    void aSingleLargePacketStillGoesWhenNothingIsQueued() {
        EngineHarness.Ws ws = h.websocket(null);
        EngineSocket socket = h.handler.sockets.get(0);
        assertThat(socket.send("z".repeat(500), false)).isTrue();
        assertThat(ws.connection().texts()).last().isEqualTo("4" + "z".repeat(500));
        assertThat(h.listener().closes).isEmpty();
    }

    @Test
    void binaryAttachmentsCountAsOneUnit() {
        EngineHarness.Ws ws = h.websocket(null);
        ws.connection().stalled = true;
        EngineSocket socket = h.handler.sockets.get(0);
        assertThat(socket.sendAll(List.of("head", new byte[10], new byte[10]), false)).isTrue();
        assertThat(session().sendQueuePackets()).isEqualTo(3);
        assertThat(session().sendQueueBytes()).isEqualTo(25);
        // Three more would make six: the whole unit is refused and the session closed, never half of it sent.
        assertThat(socket.sendAll(List.of("head", new byte[1], new byte[1]), false)).isFalse();
        assertThat(h.listener().closes).containsExactly(CloseReason.SLOW_CONSUMER);
        assertThat(ws.connection().frames).hasSize(4);
    }

    @Test
    void aPollingClientThatNeverPollsIsBoundedThenClosed() {
        String sid = h.handshake();
        EngineSocket socket = h.handler.sockets.get(0);
        assertThat(socket.send("v", true)).isFalse(); // no GET held: volatile dropped
        for (int i = 0; i < MAX_PACKETS; i++) {
            assertThat(socket.send("m" + i, false)).isTrue();
        }
        assertThat(session().sendQueuePackets()).isEqualTo(MAX_PACKETS);
        assertThat(socket.send("over", false)).isFalse();
        assertThat(h.listener().closes).containsExactly(CloseReason.SLOW_CONSUMER);
        assertThat(counted).containsExactly("volatile:1", "slow:polling", "slow_consumer:" + (MAX_PACKETS + 1));
        assertThat(h.get(sid).status()).isEqualTo(400);
        assertThat(h.scheduler.pendingTasks()).isZero();
    }

    @Test
    void aPollingClientThatPollsDrainsItsQueue() {
        String sid = h.handshake();
        EngineSocket socket = h.handler.sockets.get(0);
        for (int round = 0; round < 3; round++) {
            for (int i = 0; i < MAX_PACKETS; i++) {
                assertThat(socket.send("m" + i, false)).isTrue();
            }
            FakePollExchange get = h.get(sid);
            assertThat(get.bodyText()).startsWith("4m0" + EngineHarness.RS);
            assertThat(session().sendQueuePackets()).isZero();
        }
        FakePollExchange held = h.get(sid);
        assertThat(socket.send("v", true)).isTrue(); // a held GET: writable
        assertThat(held.bodyText()).isEqualTo("4v");
        assertThat(h.listener().closes).isEmpty();
    }

    @Test
    void aServerCloseWaitsForOutstandingWritesThenGivesUpAfterThePingTimeout() {
        EngineHarness.Ws ws = h.websocket(null);
        FakeWebSocketConnection c = ws.connection();
        c.stalled = true;
        EngineSocket socket = h.handler.sockets.get(0);
        socket.send("last", false);
        socket.close();
        assertThat(c.texts()).last().isEqualTo("4last");
        assertThat(c.closed()).as("closed only once the last frames are written").isFalse();
        c.resume();
        assertThat(c.closeCode).isEqualTo(1000);

        EngineHarness other = new EngineHarness();
        EngineHarness.Ws stuck = other.websocket(null);
        stuck.connection().stalled = true;
        other.handler.sockets.get(0).send("never read", false);
        other.handler.sockets.get(0).close();
        assertThat(stuck.connection().closed()).isFalse();
        other.scheduler.advance(EngineHarness.PING_TIMEOUT);
        assertThat(stuck.connection().closed()).isTrue();
        assertThat(other.scheduler.pendingTasks()).isZero();
    }
}
