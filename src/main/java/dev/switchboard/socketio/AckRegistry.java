package dev.switchboard.socketio;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.engineio.Scheduler;
import dev.switchboard.socketio.broadcast.AckTimeoutException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The acknowledgements one socket waits for, by ack id. Owned by the socket: {@link #cancelAll()} on disconnect
 * cancels every pending future and timer.
 */
final class AckRegistry {

    private static final Logger LOG = Logger.getLogger(AckRegistry.class.getName());

    private final Scheduler scheduler;
    private final Map<Long, Pending> pending = new ConcurrentHashMap<>();

    AckRegistry(Scheduler scheduler) {
        this.scheduler = scheduler;
    }

    /** A future for the ACK with this id, failed with {@link AckTimeoutException} after {@code timeoutMillis}. */
    CompletableFuture<List<JsonNode>> expect(long ackId, long timeoutMillis) {
        CompletableFuture<List<JsonNode>> future = new CompletableFuture<>();
        Pending entry = new Pending(future::complete, () -> future.cancel(false));
        pending.put(ackId, entry);
        entry.timer = scheduler.schedule(() -> {
            if (pending.remove(ackId, entry)) {
                LOG.log(Level.FINE, "ack {0} timed out after {1,number,#} ms", new Object[] {ackId, timeoutMillis});
                future.completeExceptionally(new AckTimeoutException());
            }
        }, timeoutMillis);
        if (future.isDone()) {
            entry.timer.cancel(); // answered (or cancelled) before the timer was stored
        }
        return future;
    }

    /** A callback for the ACK with this id with no timer: the broadcast that registered it owns the timeout. */
    void expect(long ackId, Consumer<List<JsonNode>> callback) {
        pending.put(ackId, new Pending(callback, () -> { }));
    }

    /** Delivers an ACK; an unknown id (late, duplicate or forged) is ignored. */
    void complete(long ackId, List<JsonNode> args) {
        Pending entry = pending.remove(ackId);
        if (entry == null) {
            LOG.log(Level.FINE, "ignoring unknown ack id {0}", ackId);
            return;
        }
        entry.timer.cancel();
        entry.onAck.accept(args);
    }

    void cancelAll() {
        List<Pending> all = new ArrayList<>(pending.values());
        pending.clear();
        for (Pending entry : all) {
            entry.timer.cancel();
            entry.onCancel.run();
        }
    }

    int size() {
        return pending.size();
    }

    private static final class Pending {
        final Consumer<List<JsonNode>> onAck;
        final Runnable onCancel;
        volatile Scheduler.Cancellable timer = Scheduler.Cancellable.NONE;

        Pending(Consumer<List<JsonNode>> onAck, Runnable onCancel) {
            this.onAck = onAck;
            this.onCancel = onCancel;
        }
    }
}
