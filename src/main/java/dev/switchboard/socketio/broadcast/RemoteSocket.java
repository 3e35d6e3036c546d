package dev.switchboard.socketio.broadcast;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.adapter.SocketDetails;
import java.util.Map;
import java.util.Set;

/**
 * A socket as fetchSockets() reports it, possibly on another node: its details, and the operations that can reach
 * it through the adapter (each targets the socket's own-id room).
 */
public final class RemoteSocket {

    private final SocketDetails details;
    private final BroadcastOperator operator;

    RemoteSocket(SocketDetails details, BroadcastOperator namespaceOperator) {
        this.details = details;
        this.operator = namespaceOperator.to(details.id());
    }

    public String id() {
        return details.id();
    }

    /** The handshake as JSON: headers, query, auth, address, time, url, secure, issued. */
    public JsonNode handshake() {
        return details.handshake();
    }

    /** Rooms at the time of the fetch. */
    public Set<String> rooms() {
        return details.rooms();
    }

    /** Application data (the live map for a socket of this node). */
    public Map<String, Object> data() {
        return details.data();
    }

    public boolean emit(String event, Object... args) {
        return operator.emit(event, args);
    }

    public void join(String... rooms) {
        operator.socketsJoin(rooms);
    }

    public void leave(String... rooms) {
        operator.socketsLeave(rooms);
    }

    public void disconnect(boolean close) {
        operator.disconnectSockets(close);
    }

    @Override
    public String toString() {
        return "RemoteSocket[" + details.id() + "]";
    }
}
