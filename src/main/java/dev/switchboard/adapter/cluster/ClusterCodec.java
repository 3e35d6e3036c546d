package dev.switchboard.adapter.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.adapter.BroadcastFlags;
import dev.switchboard.adapter.BroadcastOptions;
import dev.switchboard.adapter.SocketDetails;
import dev.switchboard.adapter.cluster.ClusterMessage.Broadcast;
import dev.switchboard.adapter.cluster.ClusterMessage.BroadcastAck;
import dev.switchboard.adapter.cluster.ClusterMessage.BroadcastClientCount;
import dev.switchboard.adapter.cluster.ClusterMessage.BroadcastWithAck;
import dev.switchboard.adapter.cluster.ClusterMessage.DisconnectSockets;
import dev.switchboard.adapter.cluster.ClusterMessage.FetchSockets;
import dev.switchboard.adapter.cluster.ClusterMessage.FetchSocketsResponse;
import dev.switchboard.adapter.cluster.ClusterMessage.Heartbeat;
import dev.switchboard.adapter.cluster.ClusterMessage.NodeClosing;
import dev.switchboard.adapter.cluster.ClusterMessage.ServerSideEmit;
import dev.switchboard.adapter.cluster.ClusterMessage.ServerSideEmitResponse;
import dev.switchboard.adapter.cluster.ClusterMessage.SocketsJoin;
import dev.switchboard.adapter.cluster.ClusterMessage.SocketsLeave;
import dev.switchboard.socketio.parser.SioJson;
import dev.switchboard.socketio.parser.SioPacket;
import dev.switchboard.socketio.parser.SioPacketType;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The wire format of the reference {@code @socket.io/redis-adapter} 8.x: broadcasts are msgpack
 * {@code [uid, packet, opts]}; requests and responses are JSON objects with a numeric {@code type}, except the
 * broadcast-with-ack request and each client ack, which are msgpack maps (they may carry binary). Readers accept
 * either encoding (a JSON document starts with '{'). Malformed input becomes a {@link ClusterCodecException}.
 */
public final class ClusterCodec {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    public byte[] encode(ClusterMessage message) {
        return switch (message) {
            case Broadcast b -> MsgPackTree.write(NODES.arrayNode().add(b.uid()).add(packet(b.packet()))
                    .add(options(b.options(), true)));
            case BroadcastWithAck b -> MsgPackTree.write(request(b.uid(), ClusterMessage.BROADCAST_WITH_ACK)
                    .put("requestId", b.requestId()).<ObjectNode>set("packet", packet(b.packet()))
                    .set("opts", options(b.options(), true)));
            case BroadcastClientCount c -> json(NODES.objectNode().put("type", ClusterMessage.BROADCAST_CLIENT_COUNT)
                    .put("requestId", c.requestId()).put("clientCount", c.clientCount()));
            case BroadcastAck a -> MsgPackTree.write(NODES.objectNode().put("type", ClusterMessage.BROADCAST_ACK)
                    .put("requestId", a.requestId()).set("packet", a.arg() == null ? NullNode.getInstance() : a.arg()));
            case SocketsJoin j -> json(request(j.uid(), ClusterMessage.SOCKETS_JOIN)
                    .<ObjectNode>set("opts", options(j.options(), false)).set("rooms", strings(j.rooms())));
            case SocketsLeave l -> json(request(l.uid(), ClusterMessage.SOCKETS_LEAVE)
                    .<ObjectNode>set("opts", options(l.options(), false)).set("rooms", strings(l.rooms())));
            case DisconnectSockets d -> json(request(d.uid(), ClusterMessage.DISCONNECT_SOCKETS)
                    .<ObjectNode>set("opts", options(d.options(), false)).put("close", d.close()));
            case FetchSockets f -> json(request(f.uid(), ClusterMessage.FETCH_SOCKETS).put("requestId", f.requestId())
                    .set("opts", options(f.options(), false)));
            case FetchSocketsResponse r -> json(NODES.objectNode().put("requestId", r.requestId())
                    .set("sockets", sockets(r.sockets())));
            case ServerSideEmit s -> {
                ObjectNode o = request(s.uid(), ClusterMessage.SERVER_SIDE_EMIT);
                if (s.requestId() != null) {
                    o.put("requestId", s.requestId());
                }
                yield json(o.set("data", NODES.arrayNode().addAll(s.args())));
            }
            case ServerSideEmitResponse r -> json(NODES.objectNode().put("type", ClusterMessage.SERVER_SIDE_EMIT)
                    .put("requestId", r.requestId()).set("data", r.data()));
            case Heartbeat h -> json(request(h.uid(), ClusterMessage.HEARTBEAT));
            case NodeClosing c -> json(request(c.uid(), ClusterMessage.NODE_CLOSING));
        };
    }

    /** A message of the broadcast channel. */
    public Broadcast decodeBroadcast(byte[] bytes) {
        JsonNode tree = read(bytes);
        if (!tree.isArray() || tree.size() < 3 || !tree.get(0).isTextual()) {
            throw new ClusterCodecException("broadcast: expected [uid, packet, opts]");
        }
        return new Broadcast(tree.get(0).textValue(), packet(tree.get(1)), options(tree.get(2)));
    }

    /**
     * A message of the request or response channel; null for a shape we do not know (the reference's SOCKETS and
     * ALL_ROOMS requests, unknown future types), which the caller ignores.
     */
    public ClusterMessage decodeRequestOrResponse(byte[] bytes) {
        JsonNode tree = read(bytes);
        if (!tree.isObject()) {
            throw new ClusterCodecException("expected an object");
        }
        String uid = text(tree, "uid");
        String requestId = text(tree, "requestId");
        JsonNode typeNode = tree.get("type");
        try {
            if (typeNode == null || !typeNode.canConvertToInt()) {
                // the reference's responses to fetchSockets (and SOCKETS, ALL_ROOMS, join...) carry no type
                return requestId != null && tree.path("sockets").isArray()
                        ? new FetchSocketsResponse(requestId, sockets(tree.get("sockets"))) : null;
            }
            return switch (typeNode.intValue()) {
                case ClusterMessage.SOCKETS_JOIN -> new SocketsJoin(uid, options(tree.get("opts")), roomSet(tree.get("rooms")));
                case ClusterMessage.SOCKETS_LEAVE -> new SocketsLeave(uid, options(tree.get("opts")), roomSet(tree.get("rooms")));
                case ClusterMessage.DISCONNECT_SOCKETS ->
                        new DisconnectSockets(uid, options(tree.get("opts")), tree.path("close").asBoolean(false));
                case ClusterMessage.FETCH_SOCKETS -> new FetchSockets(uid, requestId, options(tree.get("opts")));
                case ClusterMessage.SERVER_SIDE_EMIT -> uid == null
                        ? new ServerSideEmitResponse(requestId, tree.get("data"))
                        : new ServerSideEmit(uid, requestId, elements(tree.get("data")));
                case ClusterMessage.BROADCAST_WITH_ACK ->
                        new BroadcastWithAck(uid, requestId, packet(tree.get("packet")), options(tree.get("opts")));
                case ClusterMessage.BROADCAST_CLIENT_COUNT ->
                        new BroadcastClientCount(requestId, tree.path("clientCount").asInt(0));
                case ClusterMessage.BROADCAST_ACK -> new BroadcastAck(requestId, tree.get("packet"));
                case ClusterMessage.HEARTBEAT -> new Heartbeat(uid);
                case ClusterMessage.NODE_CLOSING -> new NodeClosing(uid);
                default -> null;
            };
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new ClusterCodecException("malformed message: " + e.getMessage(), e);
        }
    }

    // ---- packets and options ----

    static ObjectNode packet(SioPacket packet) {
        ObjectNode o = NODES.objectNode().put("type", packet.type().code());
        if (packet.data() != null) {
            o.set("data", packet.data());
        }
        o.put("nsp", packet.namespace());
        if (packet.hasAck()) {
            o.put("id", packet.ackId());
        }
        return o;
    }

    static SioPacket packet(JsonNode node) {
        if (node == null || !node.isObject() || !node.path("type").canConvertToInt()) {
            throw new ClusterCodecException("packet: expected an object with a numeric type");
        }
        SioPacketType type = SioPacketType.fromCode(node.get("type").intValue());
        if (type == SioPacketType.BINARY_EVENT) {
            type = SioPacketType.EVENT;
        } else if (type == SioPacketType.BINARY_ACK) {
            type = SioPacketType.ACK;
        }
        String nsp = node.hasNonNull("nsp") ? node.get("nsp").asText() : "/";
        JsonNode data = node.get("data");
        long id = node.path("id").canConvertToLong() ? node.get("id").longValue() : SioPacket.NO_ACK;
        try {
            return new SioPacket(type, nsp, data, id);
        } catch (IllegalArgumentException e) {
            throw new ClusterCodecException("packet: " + e.getMessage(), e);
        }
    }

    static ObjectNode options(BroadcastOptions options, boolean withFlags) {
        ObjectNode o = NODES.objectNode();
        o.set("rooms", strings(options.rooms()));
        o.set("except", strings(options.except()));
        if (withFlags) {
            ObjectNode flags = o.putObject("flags");
            BroadcastFlags f = options.flags();
            if (f.isVolatile()) {
                flags.put("volatile", true);
            }
            if (f.hasTimeout()) {
                flags.put("timeout", f.timeoutMillis());
            }
        }
        return o;
    }

    static BroadcastOptions options(JsonNode node) {
        if (node == null || !node.isObject()) {
            throw new ClusterCodecException("opts: expected an object");
        }
        JsonNode flags = node.path("flags");
        BroadcastFlags f = new BroadcastFlags(flags.path("volatile").asBoolean(false), false,
                flags.path("timeout").canConvertToLong() ? flags.get("timeout").longValue() : BroadcastFlags.NO_TIMEOUT);
        return new BroadcastOptions(roomSet(node.get("rooms")), roomSet(node.get("except")), f);
    }

    private static Set<String> roomSet(JsonNode node) {
        Set<String> rooms = new LinkedHashSet<>();
        if (node != null && node.isArray()) {
            node.forEach(r -> rooms.add(r.asText())); // the reference allows numeric rooms
        }
        return rooms;
    }

    private static ArrayNode strings(Set<String> values) {
        ArrayNode array = NODES.arrayNode();
        values.forEach(array::add);
        return array;
    }

    private static ArrayNode sockets(List<SocketDetails> sockets) {
        ArrayNode array = NODES.arrayNode();
        for (SocketDetails s : sockets) {
            ObjectNode o = array.addObject().put("id", s.id());
            o.set("handshake", s.handshake() == null ? NODES.objectNode() : s.handshake());
            o.set("rooms", strings(s.rooms()));
            JsonNode data;
            try {
                data = SioJson.mapper().valueToTree(s.data());
            } catch (IllegalArgumentException e) {
                data = NODES.objectNode(); // application data that JSON cannot carry stays on its node
            }
            o.set("data", data);
        }
        return array;
    }

    @SuppressWarnings("unchecked")
    private static List<SocketDetails> sockets(JsonNode node) {
        List<SocketDetails> sockets = new ArrayList<>();
        if (node == null || !node.isArray()) {
            return sockets;
        }
        for (JsonNode s : node) {
            if (!s.isObject()) {
                continue; // the reference's SOCKETS responses list bare ids; we never ask for those
            }
            Map<String, Object> data = new LinkedHashMap<>();
            if (s.path("data").isObject()) {
                data.putAll(SioJson.mapper().convertValue(s.get("data"), Map.class));
            }
            sockets.add(new SocketDetails(s.path("id").asText(), s.path("handshake"), roomSet(s.get("rooms")), data));
        }
        return sockets;
    }

    private static List<JsonNode> elements(JsonNode node) {
        List<JsonNode> list = new ArrayList<>();
        if (node != null && node.isArray()) {
            node.forEach(list::add);
        }
        return list;
    }

    private static ObjectNode request(String uid, int type) {
        return NODES.objectNode().put("uid", uid).put("type", type);
    }

    private static String text(JsonNode tree, String field) {
        JsonNode v = tree.get(field);
        return v == null || v.isNull() ? null : v.asText();
    }

    private static byte[] json(JsonNode node) {
        return SioJson.write(node).getBytes(StandardCharsets.UTF_8);
    }

    private static JsonNode read(byte[] bytes) {
        if (bytes == null || bytes.length == 0) {
            throw new ClusterCodecException("empty message");
        }
        try {
            if (bytes[0] == '{') {
                return SioJson.read(new String(bytes, StandardCharsets.UTF_8));
            }
            return MsgPackTree.read(bytes);
        } catch (IOException e) {
            throw new ClusterCodecException("undecodable message: " + e.getMessage(), e);
        }
    }
}
