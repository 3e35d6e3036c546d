package dev.switchboard.adapter;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.socketio.parser.SioPacket;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import java.util.function.IntConsumer;

/**
 * Keeps one namespace's rooms and carries its broadcasts. The in-memory adapter serves one node; a cluster adapter
 * publishes the same operations to the other nodes and applies theirs locally (unless the flags say local).
 */
public interface Adapter {

    /** Called once after creation. */
    default void init() {
    }

    /** Releases what the adapter holds; called when the namespace or the server closes. */
    void close();

    /** Number of nodes that take part in broadcasts (1 for a single node). */
    default CompletableFuture<Integer> serverCount() {
        return CompletableFuture.completedFuture(1);
    }

    void addAll(String socketId, Set<String> rooms);

    void del(String socketId, String room);

    /** Removes the socket from every room (it disconnected). */
    void delAll(String socketId);

    /** Local rooms with members now, each socket's own room included (a gauge: 0 once every socket left). */
    default int roomCount() {
        return 0;
    }

    /** Ids of the local sockets in any of these rooms (all local sockets when empty). */
    Set<String> sockets(Set<String> rooms);

    /** Rooms of a local socket; empty when unknown. */
    Set<String> socketRooms(String socketId);

    /**
     * Encodes the packet once and delivers it to every matching socket; returns how many sockets of this node it
     * was written to (the fan-out metric; other nodes count their own).
     */
    int broadcast(SioPacket packet, BroadcastOptions options);

    /**
     * Like {@link #broadcast}, for a packet that carries an ack id: {@code clientCount} is called once per node with
     * the number of sockets reached there, {@code ack} once per client response with its arguments.
     */
    void broadcastWithAck(SioPacket packet, BroadcastOptions options, IntConsumer clientCount,
                          Consumer<List<JsonNode>> ack);

    CompletableFuture<List<SocketDetails>> fetchSockets(BroadcastOptions options);

    void addSockets(BroadcastOptions options, Set<String> rooms);

    void delSockets(BroadcastOptions options, Set<String> rooms);

    void disconnectSockets(BroadcastOptions options, boolean close);

    /** Sends an event to the other nodes' namespace of the same name; a single node has no one to tell. */
    void serverSideEmit(List<JsonNode> args);

    /** Keeps a disconnected socket's state for connection state recovery (no-op when unsupported). */
    void persistSession(PersistedSession session);

    /** Finds a persisted session and the packets it missed after {@code offset}; empty when gone or unknown. */
    CompletableFuture<Optional<RestoredSession>> restoreSession(String pid, String offset);
}
