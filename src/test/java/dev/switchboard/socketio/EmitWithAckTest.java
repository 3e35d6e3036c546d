package dev.switchboard.socketio;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.engineio.CloseReason;
import dev.switchboard.socketio.broadcast.AckTimeoutException;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.Test;

class EmitWithAckTest {

    private final SioHarness h = new SioHarness();
    private final FakeEngineSocket engine = h.open();
    private final Socket socket = h.connect(engine, "/");

    @Test
    void clientAckCompletesTheFuture() throws Exception {
        engine.clearFrames();
        CompletableFuture<List<JsonNode>> first = socket.emitWithAck("question", 1);
        CompletableFuture<List<JsonNode>> second = socket.emitWithAck("question", 2);
        assertThat(engine.texts()).containsExactly("20[\"question\",1]", "21[\"question\",2]");
        engine.receive("31[\"b\"]");
        engine.receive("30[\"a\",{\"x\":1}]");
        assertThat(first.get().toString()).isEqualTo("[\"a\", {\"x\":1}]");
        assertThat(second.get()).extracting(JsonNode::asText).containsExactly("b");
        assertThat(h.scheduler.pendingTasks()).isZero();
        engine.receive("30[\"again\"]");
        engine.receive("399[]");
        assertThat(engine.isOpen()).isTrue();
    }

    @Test
    void timeoutFailsWithAckTimeoutException() {
        CompletableFuture<List<JsonNode>> future = socket.timeout(500).emitWithAck("question");
        h.scheduler.advance(499);
        assertThat(future).isNotDone();
        h.scheduler.advance(1);
        assertThat(future).isCompletedExceptionally();
        try {
            future.get();
        } catch (ExecutionException e) {
            assertThat(e.getCause()).isInstanceOf(AckTimeoutException.class);
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
        engine.receive("30[\"late\"]");
        assertThat(engine.isOpen()).isTrue();
    }

    @Test
    void defaultTimeoutApplies() {
        CompletableFuture<List<JsonNode>> future = socket.emitWithAck("question");
        h.scheduler.advance(h.server.options().defaultAckTimeoutMillis());
        assertThat(future).isCompletedExceptionally();
    }

    @Test
    void disconnectCancelsPendingAcksAndTheirTimers() {
        CompletableFuture<List<JsonNode>> future = socket.timeout(10_000).emitWithAck("question");
        assertThat(h.scheduler.pendingTasks()).isEqualTo(1);
        engine.drop(CloseReason.TRANSPORT_CLOSE);
        assertThat(future).isCancelled();
        assertThat(h.scheduler.pendingTasks()).isZero();
        assertThat(socket.emitWithAck("late")).isCompletedExceptionally();
    }

    @Test
    void volatileEmitSkippedWhenNotWritable() {
        engine.clearFrames();
        engine.writable(false);
        socket.volatile_().emit("tick", 1);
        socket.emit("tock", 2);
        assertThat(engine.texts()).containsExactly("2[\"tock\",2]");
    }
}
