package dev.switchboard.adapter.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.adapter.BroadcastOptions;
import dev.switchboard.adapter.SocketDetails;
import dev.switchboard.socketio.parser.SioPacket;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * What nodes of one cluster tell each other about one namespace. The shapes and type numbers follow the reference
 * {@code @socket.io/redis-adapter} 8.x (its {@code RequestType} enum), so that Node and Switchboard nodes can share a
 * cluster; {@link Heartbeat} and {@link NodeClosing} are ours (the reference ignores unknown request types).
 */
public sealed interface ClusterMessage {

    /** Request type numbers of the reference adapter. */
    int SOCKETS_JOIN = 2;
    int SOCKETS_LEAVE = 3;
    int DISCONNECT_SOCKETS = 4;
    int FETCH_SOCKETS = 5;
    int SERVER_SIDE_EMIT = 6;
    int BROADCAST_WITH_ACK = 7;
    int BROADCAST_CLIENT_COUNT = 8;
    int BROADCAST_ACK = 9;
    int HEARTBEAT = 100;
    int NODE_CLOSING = 101;

    /** The node that sent it, when the format carries one (responses do not). */
    default String uid() {
        return null;
    }

    /** A broadcast without acknowledgement (on the broadcast channel; msgpack {@code [uid, packet, opts]}). */
    record Broadcast(String uid, SioPacket packet, BroadcastOptions options) implements ClusterMessage {
        public Broadcast {
            Objects.requireNonNull(uid, "uid");
            Objects.requireNonNull(packet, "packet");
            Objects.requireNonNull(options, "options");
        }
    }

    /** A broadcast whose recipients answer; every node reports its recipient count, then each answer. */
    record BroadcastWithAck(String uid, String requestId, SioPacket packet, BroadcastOptions options)
            implements ClusterMessage {
        public BroadcastWithAck {
            Objects.requireNonNull(uid, "uid");
            Objects.requireNonNull(requestId, "requestId");
            Objects.requireNonNull(packet, "packet");
            Objects.requireNonNull(options, "options");
        }
    }

    record BroadcastClientCount(String requestId, int clientCount) implements ClusterMessage {
        public BroadcastClientCount {
            Objects.requireNonNull(requestId, "requestId");
        }
    }

    /** One client's answer to a broadcast with acknowledgement (its first argument, as in the reference). */
    record BroadcastAck(String requestId, JsonNode arg) implements ClusterMessage {
        public BroadcastAck {
            Objects.requireNonNull(requestId, "requestId");
        }
    }

    record SocketsJoin(String uid, BroadcastOptions options, Set<String> rooms) implements ClusterMessage {
        public SocketsJoin {
            Objects.requireNonNull(options, "options");
            rooms = Set.copyOf(rooms);
        }
    }

    record SocketsLeave(String uid, BroadcastOptions options, Set<String> rooms) implements ClusterMessage {
        public SocketsLeave {
            Objects.requireNonNull(options, "options");
            rooms = Set.copyOf(rooms);
        }
    }

    record DisconnectSockets(String uid, BroadcastOptions options, boolean close) implements ClusterMessage {
        public DisconnectSockets {
            Objects.requireNonNull(options, "options");
        }
    }

    record FetchSockets(String uid, String requestId, BroadcastOptions options) implements ClusterMessage {
        public FetchSockets {
            Objects.requireNonNull(requestId, "requestId");
            Objects.requireNonNull(options, "options");
        }
    }

    record FetchSocketsResponse(String requestId, List<SocketDetails> sockets) implements ClusterMessage {
        public FetchSocketsResponse {
            Objects.requireNonNull(requestId, "requestId");
            sockets = List.copyOf(sockets);
        }
    }

    /** An event for the other nodes' namespace; {@code requestId} is null when no answer is wanted. */
    record ServerSideEmit(String uid, String requestId, List<JsonNode> args) implements ClusterMessage {
        public ServerSideEmit {
            args = List.copyOf(args);
        }
    }

    /** A node's answer to a {@link ServerSideEmit} with a request id. */
    record ServerSideEmitResponse(String requestId, JsonNode data) implements ClusterMessage {
    }

    /** "I am alive": sent at start and periodically; the live node count is built from these. */
    record Heartbeat(String uid) implements ClusterMessage {
        public Heartbeat {
            Objects.requireNonNull(uid, "uid");
        }
    }

    /** "I am leaving": peers forget the node at once instead of waiting for its heartbeats to stop. */
    record NodeClosing(String uid) implements ClusterMessage {
        public NodeClosing {
            Objects.requireNonNull(uid, "uid");
        }
    }
}
