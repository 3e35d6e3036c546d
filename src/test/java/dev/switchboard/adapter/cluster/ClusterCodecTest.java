package dev.switchboard.adapter.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.JsonNodeType;
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
import dev.switchboard.adapter.cluster.ClusterMessage.SocketsJoin;
import dev.switchboard.adapter.cluster.ClusterMessage.SocketsLeave;
import dev.switchboard.socketio.parser.SioJson;
import dev.switchboard.socketio.parser.SioPacket;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.msgpack.core.MessageBufferPacker;
import org.msgpack.core.MessagePack;

class ClusterCodecTest {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private final ClusterCodec codec = new ClusterCodec();

    private static ArrayNode args(Object... values) {
        ArrayNode a = NODES.arrayNode();
        for (Object v : values) {
            a.add(SioJson.mapper().valueToTree(v));
        }
        return a;
    }

    private static BroadcastOptions opts(Set<String> rooms, Set<String> except, BroadcastFlags flags) {
        return new BroadcastOptions(rooms, except, flags);
    }

    /** The bytes notepack.io writes for the reference's [uid, packet, opts] of io.to("r").emit("hi"). */
    @Test
    void broadcastMatchesTheReferenceBytes() {
        String hex = "93" + "a3616263"
                + "83" + "a474797065" + "02" + "a464617461" + "91" + "a26869" + "a36e7370" + "a12f"
                + "83" + "a5726f6f6d73" + "91" + "a172" + "a6657863657074" + "90" + "a5666c616773" + "80";
        byte[] reference = HexFormat.of().parseHex(hex);
        Broadcast decoded = codec.decodeBroadcast(reference);
        assertThat(decoded.uid()).isEqualTo("abc");
        assertThat(decoded.packet()).isEqualTo(SioPacket.event("/", args("hi"), SioPacket.NO_ACK));
        assertThat(decoded.options().rooms()).containsExactly("r");
        assertThat(decoded.options().flags()).isEqualTo(BroadcastFlags.NONE);
        assertThat(HexFormat.of().formatHex(codec.encode(decoded))).isEqualTo(hex);
    }

    @Test
    void broadcastRoundTripsWithBinaryFlagsAndNumbers() {
        ArrayNode data = args("file", Map.of("n", 1), 2.5, 9_000_000_000L);
        data.add(NODES.binaryNode(new byte[] {0, 1, 2, (byte) 255}));
        SioPacket packet = SioPacket.event("/chat", data, SioPacket.NO_ACK);
        BroadcastOptions o = opts(new LinkedHashSet<>(List.of("a", "b")), Set.of("c"),
                new BroadcastFlags(true, false, 1500));
        Broadcast back = codec.decodeBroadcast(codec.encode(new Broadcast("u1", packet, o)));
        assertThat(back.packet()).isEqualTo(packet);
        assertThat(back.options().rooms()).containsExactly("a", "b");
        assertThat(back.options().except()).containsExactly("c");
        assertThat(back.options().flags().isVolatile()).isTrue();
        assertThat(back.options().flags().timeoutMillis()).isEqualTo(1500);
    }

    @Test
    void requestsUseTheReferenceJsonShapes() {
        BroadcastOptions o = opts(Set.of("r"), Set.of(), null);
        assertThat(json(new SocketsJoin("u", o, Set.of("x"))))
                .isEqualTo("{\"uid\":\"u\",\"type\":2,\"opts\":{\"rooms\":[\"r\"],\"except\":[]},\"rooms\":[\"x\"]}");
        assertThat(json(new DisconnectSockets("u", o, true)))
                .isEqualTo("{\"uid\":\"u\",\"type\":4,\"opts\":{\"rooms\":[\"r\"],\"except\":[]},\"close\":true}");
        assertThat(json(new FetchSockets("u", "q1", o)))
                .isEqualTo("{\"uid\":\"u\",\"type\":5,\"requestId\":\"q1\",\"opts\":{\"rooms\":[\"r\"],\"except\":[]}}");
        assertThat(json(new BroadcastClientCount("q1", 3)))
                .isEqualTo("{\"type\":8,\"requestId\":\"q1\",\"clientCount\":3}");
        assertThat(json(new ServerSideEmit("u", null, List.of(NODES.textNode("hello")))))
                .isEqualTo("{\"uid\":\"u\",\"type\":6,\"data\":[\"hello\"]}");
    }

    @Test
    void everyRequestAndResponseRoundTrips() {
        BroadcastOptions o = opts(Set.of("r"), Set.of("x"), null);
        SioPacket withAck = SioPacket.event("/", args("q"), 7);
        List<ClusterMessage> messages = List.of(
                new SocketsJoin("u", o, Set.of("j")),
                new SocketsLeave("u", o, Set.of("j")),
                new DisconnectSockets("u", o, false),
                new FetchSockets("u", "q", o),
                new FetchSocketsResponse("q", List.of(new SocketDetails("s1", NODES.objectNode().put("address", "a"),
                        Set.of("s1", "r"), Map.of("user", "ann")))),
                new ServerSideEmit("u", "q", List.of(NODES.numberNode(1))),
                new BroadcastWithAck("u", "q", withAck, opts(Set.of(), Set.of(), new BroadcastFlags(false, false, 900))),
                new BroadcastClientCount("q", 2),
                new BroadcastAck("q", NODES.binaryNode(new byte[] {9})),
                new Heartbeat("u"),
                new NodeClosing("u"));
        for (ClusterMessage m : messages) {
            assertThat(codec.decodeRequestOrResponse(codec.encode(m))).as(m.toString()).isEqualTo(m);
        }
    }

    @Test
    void broadcastWithAckAndClientAckAreMsgpack() {
        byte[] ack = codec.encode(new BroadcastAck("q", NODES.textNode("ok")));
        assertThat(ack[0]).isEqualTo((byte) 0x83); // a fixmap, as notepack writes {type, requestId, packet}
        assertThat(codec.encode(new BroadcastWithAck("u", "q", SioPacket.event("/", args("e"), 1),
                BroadcastOptions.all()))[0]).isEqualTo((byte) 0x85);
    }

    @Test
    void unknownShapesAreIgnoredAndGarbageIsATypedError() {
        assertThat(codec.decodeRequestOrResponse("{\"uid\":\"u\",\"type\":0,\"requestId\":\"x\",\"rooms\":[]}"
                .getBytes(StandardCharsets.UTF_8))).isNull();
        assertThat(codec.decodeRequestOrResponse("{\"requestId\":\"x\",\"rooms\":[\"a\"]}"
                .getBytes(StandardCharsets.UTF_8))).isNull();
        assertThatThrownBy(() -> codec.decodeRequestOrResponse(new byte[] {(byte) 0xc1}))
                .isInstanceOf(ClusterCodecException.class);
        assertThatThrownBy(() -> codec.decodeBroadcast(new byte[] {(byte) 0x93, (byte) 0xa1}))
                .isInstanceOf(ClusterCodecException.class);
        assertThatThrownBy(() -> codec.decodeBroadcast(new byte[0])).isInstanceOf(ClusterCodecException.class);
        // a packet the Socket.IO layer would refuse (event without a name) is refused here too
        byte[] noName = codec.encode(new Broadcast("u", SioPacket.event("/", args("x"), -1), BroadcastOptions.all()));
        String tampered = HexFormat.of().formatHex(noName).replace("91a178", "9100");
        assertThatThrownBy(() -> codec.decodeBroadcast(HexFormat.of().parseHex(tampered)))
                .isInstanceOf(ClusterCodecException.class);
    }

    @Test
    void deepNestingIsRefused() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int i = 0; i < 200; i++) {
            out.write(0x91);
        }
        out.write(0xc0);
        assertThatThrownBy(() -> codec.decodeBroadcast(out.toByteArray())).isInstanceOf(ClusterCodecException.class);
    }

    /**
     * python-socketio CVE-2025-61765: the bus unpickled whatever it received. Here a serialized Java object, as a
     * msgpack ext or behind JSON type hints, stays inert data: the ext reads as null and the object is never built.
     */
    @Test
    void serializedObjectsOnTheBusAreNeverInstantiated() throws Exception {
        ByteArrayOutputStream serialized = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(serialized)) {
            out.writeObject(new Gadget());
        }
        byte[] gadget = serialized.toByteArray();
        Gadget.READ.set(0);

        // [uid, {type: 2, data: ["x", <ext 1: gadget>], nsp: "/"}, {rooms: [], except: []}]
        MessageBufferPacker p = MessagePack.newDefaultBufferPacker();
        p.packArrayHeader(3).packString("u");
        p.packMapHeader(3).packString("type").packInt(2).packString("data").packArrayHeader(2).packString("x");
        p.packExtensionTypeHeader((byte) 1, gadget.length).addPayload(gadget);
        p.packString("nsp").packString("/");
        p.packMapHeader(2).packString("rooms").packArrayHeader(0).packString("except").packArrayHeader(0);
        Broadcast b = codec.decodeBroadcast(p.toByteArray());
        assertThat(b.packet().data().get(1).isNull()).as("an ext is read as null, like notepack's undefined").isTrue();

        String hinted = "{\"uid\":\"u\",\"type\":6,\"data\":[{\"@class\":\"" + Gadget.class.getName()
                + "\"},[\"" + Gadget.class.getName() + "\",{}]]}";
        ServerSideEmit emit = (ServerSideEmit) codec.decodeRequestOrResponse(hinted.getBytes(StandardCharsets.UTF_8));
        assertThat(emit.args()).extracting(JsonNode::getNodeType)
                .containsExactly(JsonNodeType.OBJECT, JsonNodeType.ARRAY);
        assertThat(Gadget.READ.get()).as("Gadget objects deserialized").isZero();
    }

    /** Counts its own deserializations. */
    static final class Gadget implements Serializable {
        static final AtomicInteger READ = new AtomicInteger();

        private void readObject(ObjectInputStream in) throws IOException, ClassNotFoundException {
            in.defaultReadObject();
            READ.incrementAndGet();
        }
    }

    private String json(ClusterMessage m) {
        return new String(codec.encode(m), StandardCharsets.UTF_8);
    }

    @SuppressWarnings("unused")
    private static JsonNode unused() {
        return null;
    }
}
