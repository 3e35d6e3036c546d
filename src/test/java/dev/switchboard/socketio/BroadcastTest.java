package dev.switchboard.socketio;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.socketio.broadcast.AckTimeoutException;
import dev.switchboard.socketio.broadcast.BroadcastOperator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class BroadcastTest {

    private SioHarness h;
    private FakeEngineSocket ea;
    private FakeEngineSocket eb;
    private FakeEngineSocket ec;
    private Socket a;
    private Socket b;
    private Socket c;

    @BeforeEach
    void setUp() {
        h = new SioHarness();
        ea = h.open();
        eb = h.open();
        ec = h.open();
        a = h.connect(ea, "/");
        b = h.connect(eb, "/");
        c = h.connect(ec, "/");
        a.join("red", "blue");
        b.join("blue");
        ea.clearFrames();
        eb.clearFrames();
        ec.clearFrames();
    }

    @Test
    void namespaceEmitReachesEveryone() {
        h.server.sockets().emit("news", 1);
        for (FakeEngineSocket e : List.of(ea, eb, ec)) {
            assertThat(e.texts()).containsExactly("2[\"news\",1]");
        }
    }

    @Test
    void roomsAreAUnionWithoutDuplicates() {
        h.server.sockets().to("red").to("blue").emit("x");
        assertThat(ea.texts()).containsExactly("2[\"x\"]");
        assertThat(eb.texts()).containsExactly("2[\"x\"]");
        assertThat(ec.texts()).isEmpty();
    }

    @Test
    void exceptRemovesTheSocketsOfARoom() {
        h.server.sockets().except("red").emit("x");
        assertThat(ea.texts()).isEmpty();
        assertThat(eb.texts()).hasSize(1);
        assertThat(ec.texts()).hasSize(1);
    }

    @Test
    void socketBroadcastExcludesTheSender() {
        b.to("blue").emit("from-b");
        assertThat(ea.texts()).containsExactly("2[\"from-b\"]");
        assertThat(eb.texts()).isEmpty();
        b.broadcast().emit("all-but-b");
        assertThat(ec.texts()).containsExactly("2[\"all-but-b\"]");
        assertThat(eb.texts()).isEmpty();
    }

    @Test
    void toASocketIdReachesThatSocket() {
        h.server.sockets().to(c.id()).emit("private");
        assertThat(ec.texts()).containsExactly("2[\"private\"]");
        assertThat(ea.texts()).isEmpty();
    }

    @Test
    void operatorsAreImmutable() {
        BroadcastOperator base = h.server.sockets().to("red");
        BroadcastOperator more = base.to("blue").except("x").volatile_();
        assertThat(base.rooms()).containsExactly("red");
        assertThat(base.exceptRooms()).isEmpty();
        assertThat(base.flags().isVolatile()).isFalse();
        assertThat(more.rooms()).containsExactly("red", "blue");
        assertThat(more.flags().isVolatile()).isTrue();
    }

    @Test
    void encodedOnceAndSharedByRecipients() {
        h.server.sockets().emit("same", new byte[] {1});
        Object fromA = ea.batches().get(0).get(1);
        Object fromB = eb.batches().get(0).get(1);
        assertThat(fromA).isSameAs(fromB);
        assertThat(ea.batches().get(0).get(0)).isEqualTo("51-[\"same\",{\"_placeholder\":true,\"num\":0}]");
    }

    @Test
    void volatileSkipsBusyRecipients() {
        eb.writable(false);
        h.server.sockets().volatile_().emit("tick");
        assertThat(ea.texts()).hasSize(1);
        assertThat(eb.texts()).isEmpty();
        assertThat(ec.texts()).hasSize(1);
    }

    @Test
    void leaveAndRooms() {
        a.leave("red");
        assertThat(a.rooms()).containsExactlyInAnyOrder(a.id(), "blue");
        h.server.sockets().to("red").emit("x");
        assertThat(ea.texts()).isEmpty();
    }

    @Test
    void broadcastAcksAreCollected() throws Exception {
        CompletableFuture<List<JsonNode>> future = h.server.sockets().to("blue").timeout(1000).emitWithAck("poll");
        String sent = ea.lastText();
        assertThat(sent).matches("2\\d+\\[\"poll\"]");
        assertThat(eb.lastText()).isEqualTo(sent);
        String id = sent.substring(1, sent.indexOf('['));
        ea.receive("3" + id + "[\"yes\"]");
        assertThat(future).isNotDone();
        eb.receive("3" + id + "[\"no\",2]");
        assertThat(future.get()).extracting(JsonNode::asText).containsExactly("yes", "no");
        assertThat(h.scheduler.pendingTasks()).isZero();
    }

    @Test
    void broadcastAckTimeoutKeepsPartialResponses() {
        CompletableFuture<List<JsonNode>> future = h.server.sockets().timeout(1000).emitWithAck("poll");
        String sent = ea.lastText();
        String id = sent.substring(1, sent.indexOf('['));
        ea.receive("3" + id + "[1]");
        h.scheduler.advance(1000);
        try {
            future.get();
            throw new AssertionError("should time out");
        } catch (ExecutionException e) {
            assertThat(e.getCause()).isInstanceOf(AckTimeoutException.class);
            assertThat(((AckTimeoutException) e.getCause()).responses()).extracting(JsonNode::asInt)
                    .containsExactly(1);
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void broadcastAckWithNoRecipientsCompletesAtOnce() throws Exception {
        CompletableFuture<List<JsonNode>> future = h.server.sockets().to("nobody").timeout(1000).emitWithAck("p");
        assertThat(future.get()).isEmpty();
        assertThat(h.scheduler.pendingTasks()).isZero();
    }
}
