package dev.switchboard.engineio;

import org.junit.jupiter.api.Test;

import java.util.List;

import static dev.switchboard.engineio.EngineHarness.RS;
import static org.assertj.core.api.Assertions.assertThat;

/** The polling transport of one session. */
class EngineSessionTest {
    private final EngineHarness h = new EngineHarness();

    /** A client close over polling with no GET held: the GET already on its way gets a noop, then 400. */
    private void assertLateGetClosedThenGone(String sid) {
        FakePollExchange late = h.get(sid);
        assertThat(late.status()).isEqualTo(200);
        assertThat(late.bodyText()).isEqualTo("6");
        assertGone(sid);
    }

    private void assertGone(String sid) {
        assertThat(h.get(sid).status()).isEqualTo(400);
        assertThat(h.server.sessionCount()).isZero();
        assertThat(h.scheduler.pendingTasks()).isZero();
    }

    @Test
    void getWithNothingQueuedIsHeldUntilTheNextSend() {
        String sid = h.handshake();
        FakePollExchange get = h.get(sid);
        assertThat(get.answered()).isFalse();
        assertThat(get.abortCallback).isNotNull();
        EngineSocket socket = h.handler.sockets.get(0);
        assertThat(socket.isWritable()).isTrue();
        socket.send("hello");
        assertThat(get.status()).isEqualTo(200);
        assertThat(get.bodyText()).isEqualTo("4hello");
        assertThat(get.reply().contentType()).startsWith("text/plain");
        assertThat(socket.isWritable()).isFalse();
    }

    @Test
    void queuedPacketsAllLeaveInOneGet() {
        String sid = h.handshake();
        EngineSocket socket = h.handler.sockets.get(0);
        socket.send("a");
        socket.send(new byte[]{1, 2, 3, 4});
        socket.sendAll(List.of("b", new byte[]{5}));
        FakePollExchange get = h.get(sid);
        assertThat(get.bodyText()).isEqualTo("4a" + RS + "bAQIDBA==" + RS + "4b" + RS + "bBQ==");
        FakePollExchange next = h.get(sid);
        assertThat(next.answered()).isFalse();
    }

    @Test
    void postBatchIsHandledBeforeOkAndEchoesLeaveInOneGet() {
        h.handler.echo = true;
        String sid = h.handshake();
        FakePollExchange post = h.post(sid, "4a" + RS + "4b" + RS + "4c");
        assertThat(post.status()).isEqualTo(200);
        assertThat(post.bodyText()).isEqualTo("ok");
        assertThat(h.listener().events).containsExactly("text:a", "text:b", "text:c");
        FakePollExchange get = h.get(sid);
        assertThat(get.bodyText()).isEqualTo("4a" + RS + "4b" + RS + "4c");
    }

    @Test
    void echoRepliesToAHeldGetLeaveTogetherAfterTheWholeBatch() {
        h.handler.echo = true;
        String sid = h.handshake();
        FakePollExchange get = h.get(sid);
        FakePollExchange post = h.post(sid, "4test1" + RS + "4test2" + RS + "4test3");
        assertThat(get.bodyText()).isEqualTo("4test1" + RS + "4test2" + RS + "4test3");
        assertThat(post.bodyText()).isEqualTo("ok");
    }

    @Test
    void binaryRoundTrip() {
        h.handler.echo = true;
        String sid = h.handshake();
        FakePollExchange post = h.post(sid, "4hello" + RS + "bAQIDBA==");
        assertThat(post.bodyText()).isEqualTo("ok");
        assertThat(h.listener().events).containsExactly("text:hello", "binary:AQIDBA==");
        assertThat(h.get(sid).bodyText()).isEqualTo("4hello" + RS + "bAQIDBA==");
    }

    @Test
    void utf8TextSurvivesPolling() {
        h.handler.echo = true;
        String sid = h.handshake();
        h.post(sid, "4héllo €✓");
        assertThat(h.get(sid).bodyText()).isEqualTo("4héllo €✓");
    }

    @Test
    void duplicateGetClosesTheSession() {
        String sid = h.handshake();
        FakePollExchange first = h.get(sid);
        FakePollExchange second = h.get(sid);
        assertThat(first.status()).isEqualTo(200);
        assertThat(first.bodyText()).isEqualTo("1");
        assertThat(second.status()).isIn(400, 500);
        assertThat(h.listener().closes).containsExactly(CloseReason.TRANSPORT_ERROR);
        assertThat(h.handler.sockets.get(0).isOpen()).isFalse();
        assertGone(sid);
    }

    @Test
    void clientClosePacketWhileGetHeldAnswersNoop() {
        String sid = h.handshake();
        FakePollExchange get = h.get(sid);
        FakePollExchange post = h.post(sid, "1");
        assertThat(get.status()).isEqualTo(200);
        assertThat(get.bodyText()).isEqualTo("6");
        assertThat(post.status()).isEqualTo(200);
        assertThat(h.listener().closes).containsExactly(CloseReason.TRANSPORT_CLOSE);
        assertGone(sid);
        assertThat(h.post(sid, "4x").status()).isEqualTo(400);
    }

    @Test
    void packetsAfterCloseInTheSameBatchAreNotDelivered() {
        String sid = h.handshake();
        h.post(sid, "4a" + RS + "1" + RS + "4b");
        assertThat(h.listener().events).containsExactly("text:a", "close:TRANSPORT_CLOSE");
        assertLateGetClosedThenGone(sid);
    }

    @Test
    void badPostBodyClosesWithParseError() {
        String sid = h.handshake();
        FakePollExchange post = h.post(sid, "abc");
        assertThat(post.status()).isEqualTo(400);
        assertThat(h.listener().closes).containsExactly(CloseReason.PARSE_ERROR);
        assertGone(sid);
    }

    @Test
    void badPostBodyAnswersTheHeldGetWithClose() {
        String sid = h.handshake();
        FakePollExchange get = h.get(sid);
        h.post(sid, "4ok" + RS + "zzz");
        assertThat(get.bodyText()).isEqualTo("1");
        // a payload is rejected as a whole: nothing of it reaches the listener
        assertThat(h.listener().events).containsExactly("close:PARSE_ERROR");
        assertGone(sid);
    }

    @Test
    void emptyPostBodyIsAParseError() {
        String sid = h.handshake();
        h.post(sid, "");
        assertThat(h.listener().closes).containsExactly(CloseReason.PARSE_ERROR);
        assertGone(sid);
    }

    @Test
    void bodyOverMaxPayloadGets413AndCloses() {
        EngineHarness small = new EngineHarness(EngineHarness.testOptions().withMaxPayload(10));
        String sid = small.handshake();
        FakePollExchange ok = small.post(sid, "4" + "x".repeat(9));
        assertThat(ok.bodyText()).isEqualTo("ok");
        FakePollExchange post = small.post(sid, "4" + "x".repeat(10));
        assertThat(post.status()).isEqualTo(413);
        assertThat(small.listener().closes).containsExactly(CloseReason.TRANSPORT_ERROR);
        assertThat(small.listener().events).containsExactly("text:" + "x".repeat(9), "close:TRANSPORT_ERROR");
        assertThat(small.get(sid).status()).isEqualTo(400);
        assertThat(small.server.sessionCount()).isZero();
        assertThat(small.scheduler.pendingTasks()).isZero();
    }

    @Test
    void abortedHeldGetClosesTheSession() {
        String sid = h.handshake();
        FakePollExchange get = h.get(sid);
        get.abort();
        assertThat(h.listener().closes).containsExactly(CloseReason.TRANSPORT_ERROR);
        assertGone(sid);
        // the aborted exchange itself may be answered (the container drops it), but at most once
        assertThat(get.replies).hasSizeLessThanOrEqualTo(1);
    }

    @Test
    void abortAfterAnswerIsIgnored() {
        String sid = h.handshake();
        FakePollExchange get = h.get(sid);
        h.handler.sockets.get(0).send("x");
        get.abort();
        assertThat(h.listener().closes).isEmpty();
        assertThat(h.server.sessionCount()).isEqualTo(1);
        h.handler.sockets.get(0).send("y");
        assertThat(h.get(sid).bodyText()).isEqualTo("4y");
    }

    @Test
    void serverCloseAnswersHeldGetWithQueuedPacketsThenClose() {
        String sid = h.handshake();
        FakePollExchange get = h.get(sid);
        EngineSocket socket = h.handler.sockets.get(0);
        socket.close();
        assertThat(get.bodyText()).isEqualTo("1");
        assertThat(h.listener().closes).containsExactly(CloseReason.FORCED_CLOSE);
        socket.send("dropped");
        socket.close();
        assertThat(h.listener().closes).hasSize(1);
        assertGone(sid);
    }


    @Test
    void serverCloseBetweenTwoPollsKeepsWhatWasQueuedAndTheCloseForTheNextGet() {
        String sid = h.handshake();
        EngineSocket socket = h.handler.sockets.get(0);
        socket.send("41");
        socket.close(CloseReason.SERVER_SHUTDOWN);
        assertThat(h.listener().closes).containsExactly(CloseReason.SERVER_SHUTDOWN);
        assertThat(h.server.sessionCount()).isEqualTo(1); // kept for the next GET, which a drain waits for
        assertThat(h.server.openSessionCount()).isZero(); // but no longer open: gauge, health, connection limit
        FakePollExchange next = h.get(sid);
        assertThat(next.status()).isEqualTo(200);
        assertThat(next.bodyText()).isEqualTo("441" + RS + "1");
        assertGone(sid);
        assertThat(h.server.openSessionCount()).isZero();
    }

    @Test
    void aServerCloseBetweenPollsWaitsOnlyForTheGracePeriod() {
        String sid = h.handshake();
        h.handler.sockets.get(0).close();
        h.scheduler.advance(EngineSession.SERVER_CLOSE_GRACE_MILLIS);
        assertGone(sid);
    }

    @Test
    void aSessionClosedForAPingTimeoutBetweenPollsIsGoneAtOnce() {
        String sid = h.handshake();
        h.handler.sockets.get(0).close(CloseReason.PING_TIMEOUT);
        assertGone(sid);
    }
    @Test
    void listenerExceptionDoesNotEscapeOrKillTheSession() {
        String sid = h.handshake();
        h.listener().throwOnText = new IllegalStateException("listener bug");
        FakePollExchange post = h.post(sid, "4a" + RS + "4b");
        assertThat(post.bodyText()).isEqualTo("ok");
        assertThat(h.listener().events).containsExactly("text:a", "text:b");
        assertThat(h.handler.sockets.get(0).isOpen()).isTrue();
        h.listener().throwOnText = null;
        h.handler.sockets.get(0).send("still here");
        assertThat(h.get(sid).bodyText()).isEqualTo("4still here");
    }

    @Test
    void closeListenerExceptionDoesNotEscape() {
        String sid = h.handshake();
        h.handler.sockets.get(0).setListener(new EngineSocketListener() {
            @Override public void onText(String text) { }
            @Override public void onBinary(byte[] data) { }
            @Override public void onClose(CloseReason reason) { throw new IllegalStateException("boom"); }
        });
        FakePollExchange post = h.post(sid, "1");
        assertThat(post.bodyText()).isEqualTo("ok");
        assertLateGetClosedThenGone(sid);
    }

    @Test
    void aClientCloseWithNoGetHeldLingersOnlyForTheGracePeriod() {
        String sid = h.handshake();
        h.post(sid, "1");
        assertThat(h.server.sessionCount()).isEqualTo(1);
        assertThat(h.post(sid, "4x").status()).isEqualTo(400);
        h.scheduler.advance(EngineSession.LATE_POLL_GRACE_MILLIS);
        assertGone(sid);
    }

    @Test
    void clientPingAndNoopPacketsAreIgnored() {
        String sid = h.handshake();
        assertThat(h.post(sid, "6" + RS + "4x").bodyText()).isEqualTo("ok");
        assertThat(h.listener().events).containsExactly("text:x");
        assertThat(h.server.sessionCount()).isEqualTo(1);
    }
}
