package dev.switchboard.socketio.broadcast;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.adapter.BroadcastFlags;
import dev.switchboard.adapter.BroadcastOptions;
import dev.switchboard.socketio.parser.SioPacket;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * A selection of sockets of one namespace: immutable, every modifier returns a new operator. The packet of an
 * emit is built and encoded once by the adapter, which writes the same frames to each recipient.
 *
 * <pre>{@code
 * nsp.to("room1").to("room2").except("muted").emit("news", payload);
 * socket.broadcast().volatile_().emit("typing", user);
 * nsp.timeout(5000).emitWithAck("poll").thenAccept(answers -> ...);
 * }</pre>
 */
public final class BroadcastOperator {

    private final BroadcastContext context;
    private final Set<String> rooms;
    private final Set<String> except;
    private final BroadcastFlags flags;

    public BroadcastOperator(BroadcastContext context) {
        this(context, Set.of(), Set.of(), BroadcastFlags.NONE);
    }

    public BroadcastOperator(BroadcastContext context, Set<String> rooms, Set<String> except, BroadcastFlags flags) {
        this.context = context;
        this.rooms = ordered(rooms);
        this.except = ordered(except);
        this.flags = flags == null ? BroadcastFlags.NONE : flags;
    }

    /** Adds rooms to the targets (a union: a socket in several of them gets the packet once). */
    public BroadcastOperator to(String... rooms) {
        Set<String> union = new LinkedHashSet<>(this.rooms);
        union.addAll(Arrays.asList(rooms));
        return new BroadcastOperator(context, union, except, flags);
    }

    /** Same as {@link #to}. */
    public BroadcastOperator in(String... rooms) {
        return to(rooms);
    }

    /** Excludes the sockets in any of these rooms. */
    public BroadcastOperator except(String... rooms) {
        Set<String> union = new LinkedHashSet<>(this.except);
        union.addAll(Arrays.asList(rooms));
        return new BroadcastOperator(context, this.rooms, union, flags);
    }

    /** Skips recipients whose transport cannot write right now. */
    public BroadcastOperator volatile_() {
        return new BroadcastOperator(context, rooms, except, flags.withVolatile(true));
    }

    /** Only the sockets of this node. */
    public BroadcastOperator local() {
        return new BroadcastOperator(context, rooms, except, flags.withLocal(true));
    }

    /** How long {@link #emitWithAck} waits for the responses. */
    public BroadcastOperator timeout(long millis) {
        return new BroadcastOperator(context, rooms, except, flags.withTimeoutMillis(millis));
    }

    public Set<String> rooms() {
        return rooms;
    }

    public Set<String> exceptRooms() {
        return except;
    }

    public BroadcastFlags flags() {
        return flags;
    }

    /** Sends the event to every selected socket; returns true. */
    public boolean emit(String event, Object... args) {
        EventArgs.requireEmittable(event);
        SioPacket packet = SioPacket.event(context.namespace(), EventArgs.eventData(event, args), SioPacket.NO_ACK);
        context.onBroadcast().accept(context.adapter().broadcast(packet, options()));
        return true;
    }

    /**
     * Sends the event and collects the first argument of every recipient's acknowledgement. Fails with
     * {@link AckTimeoutException} (holding the responses so far) when not all arrive within the timeout.
     */
    public CompletableFuture<List<JsonNode>> emitWithAck(String event, Object... args) {
        EventArgs.requireEmittable(event);
        SioPacket packet = SioPacket.event(context.namespace(), EventArgs.eventData(event, args),
                context.ackIds().getAsLong());
        long timeout = flags.hasTimeout() ? flags.timeoutMillis() : context.defaultAckTimeoutMillis();
        BroadcastAckCollector collector = new BroadcastAckCollector();
        collector.startTimer(context.scheduler(), timeout);
        context.adapter().broadcastWithAck(packet, options(), count -> {
            context.onBroadcast().accept(count);
            collector.onClientCount(count);
        }, collector::onResponse);
        context.adapter().serverCount().whenComplete((count, error) ->
                collector.onServerCount(error == null ? count : 1));
        return collector.result();
    }

    /** The selected sockets (of every node, unless local()). */
    public CompletableFuture<List<RemoteSocket>> fetchSockets() {
        BroadcastOperator base = new BroadcastOperator(context);
        return context.adapter().fetchSockets(options())
                .thenApply(all -> all.stream().map(d -> new RemoteSocket(d, base)).toList());
    }

    /** Ids of the local sockets in the selected rooms (all when none). */
    public Set<String> allSockets() {
        return context.adapter().sockets(rooms);
    }

    public void socketsJoin(String... rooms) {
        context.adapter().addSockets(options(), new LinkedHashSet<>(Arrays.asList(rooms)));
    }

    public void socketsLeave(String... rooms) {
        context.adapter().delSockets(options(), new LinkedHashSet<>(Arrays.asList(rooms)));
    }

    /** Disconnects the selected sockets; with close=true their whole Engine.IO connection too. */
    public void disconnectSockets(boolean close) {
        context.adapter().disconnectSockets(options(), close);
    }

    private BroadcastOptions options() {
        return new BroadcastOptions(rooms, except, flags);
    }

    private static Set<String> ordered(Set<String> in) {
        return in.isEmpty() ? Set.of() : java.util.Collections.unmodifiableSet(new LinkedHashSet<>(in));
    }
}
