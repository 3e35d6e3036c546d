package dev.switchboard.adapter;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.socketio.parser.EncodedSioPacket;
import dev.switchboard.socketio.parser.SioPacket;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;

/** The narrow view of one connected socket of this node that an adapter needs to deliver and manage it. */
public interface LocalSocket {

    String id();

    SocketDetails details();

    /**
     * Writes an already encoded packet to this socket (skipped when volatile and the transport is busy) and tells its
     * outgoing listeners about it.
     */
    void deliver(SioPacket packet, EncodedSioPacket encoded, BroadcastFlags flags);

    /** Registers a one-shot callback for the ACK with this id (a broadcast with acknowledgement). */
    void expectAck(long ackId, Consumer<List<JsonNode>> ack);

    void join(Set<String> rooms);

    void leave(Set<String> rooms);

    void disconnect(boolean closeUnderlyingConnection);
}
