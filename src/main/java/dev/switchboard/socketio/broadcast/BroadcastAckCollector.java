package dev.switchboard.socketio.broadcast;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import dev.switchboard.engineio.Scheduler;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Gathers the responses to one broadcast with acknowledgement: done when every node reported its recipient count
 * and that many responses came in, or failed with {@link AckTimeoutException} when the timer fires first.
 */
final class BroadcastAckCollector {

    private final CompletableFuture<List<JsonNode>> result = new CompletableFuture<>();
    private final List<JsonNode> responses = new ArrayList<>();
    private Scheduler.Cancellable timer = Scheduler.Cancellable.NONE;
    private int expectedServers = -1;
    private int reportedServers;
    private int expectedClients;
    private boolean done;

    CompletableFuture<List<JsonNode>> result() {
        return result;
    }

    synchronized void startTimer(Scheduler scheduler, long timeoutMillis) {
        if (!done) {
            timer = scheduler.schedule(this::onTimeout, timeoutMillis);
        }
    }

    void onClientCount(int count) {
        synchronized (this) {
            expectedClients += count;
            reportedServers++;
        }
        completeIfAllIn();
    }

    void onServerCount(int count) {
        synchronized (this) {
            expectedServers = count;
        }
        completeIfAllIn();
    }

    void onResponse(List<JsonNode> args) {
        synchronized (this) {
            if (done) {
                return;
            }
            responses.add(args.isEmpty() ? NullNode.getInstance() : args.get(0));
        }
        completeIfAllIn();
    }

    /** Completes outside the lock, so that dependent stages never run while holding it. */
    private void completeIfAllIn() {
        List<JsonNode> all;
        synchronized (this) {
            if (done || expectedServers != reportedServers || responses.size() != expectedClients) {
                return;
            }
            done = true;
            timer.cancel();
            all = List.copyOf(responses);
        }
        result.complete(all);
    }

    private void onTimeout() {
        List<JsonNode> partial;
        synchronized (this) {
            if (done) {
                return;
            }
            done = true;
            partial = List.copyOf(responses);
        }
        result.completeExceptionally(new AckTimeoutException(partial));
    }
}
