package dev.switchboard.socketio;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.adapter.BroadcastFlags;
import dev.switchboard.socketio.broadcast.AckTimeoutException;
import dev.switchboard.socketio.broadcast.BroadcastOperator;
import dev.switchboard.socketio.broadcast.EventArgs;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * Emits to one socket with modifiers (timeout, volatile); immutable, every modifier returns a new emitter.
 * {@code socket.timeout(5000).emitWithAck("question")} fails with {@link AckTimeoutException} after 5 s.
 */
public final class SocketEmitter {

    private final Socket socket;
    private final BroadcastFlags flags;

    SocketEmitter(Socket socket, BroadcastFlags flags) {
        this.socket = socket;
        this.flags = flags;
    }

    public SocketEmitter timeout(long millis) {
        return new SocketEmitter(socket, flags.withTimeoutMillis(millis));
    }

    /** Drops the packet if the transport cannot write it right now. */
    public SocketEmitter volatile_() {
        return new SocketEmitter(socket, flags.withVolatile(true));
    }

    public boolean emit(String event, Object... args) {
        EventArgs.requireEmittable(event);
        return socket.sendEvent(EventArgs.eventData(event, args), dev.switchboard.socketio.parser.SioPacket.NO_ACK,
                flags);
    }

    /**
     * Completes with the client's acknowledgement arguments; fails with {@link AckTimeoutException} after the
     * timeout (this emitter's, or the server default), and is cancelled if the socket disconnects first.
     */
    public CompletableFuture<List<JsonNode>> emitWithAck(String event, Object... args) {
        EventArgs.requireEmittable(event);
        if (!socket.connected()) {
            return CompletableFuture.failedFuture(new IllegalStateException("socket " + socket.id()
                    + " is not connected"));
        }
        long ackId = socket.namespace().nextAckId();
        long timeout = flags.hasTimeout() ? flags.timeoutMillis()
                : socket.namespace().server().options().defaultAckTimeoutMillis();
        CompletableFuture<List<JsonNode>> result = socket.expectAck(ackId, timeout);
        socket.sendEvent(EventArgs.eventData(event, args), ackId, flags);
        return result;
    }

    /** Every socket of the namespace except this one, with this emitter's flags. */
    public BroadcastOperator broadcast() {
        return new BroadcastOperator(socket.namespace().broadcastContext(), Set.of(), Set.of(socket.id()), flags);
    }

    public BroadcastOperator to(String... rooms) {
        return broadcast().to(rooms);
    }

    public BroadcastOperator in(String... rooms) {
        return to(rooms);
    }

    public BroadcastOperator except(String... rooms) {
        return broadcast().except(rooms);
    }

    public BroadcastOperator local() {
        return broadcast().local();
    }
}
