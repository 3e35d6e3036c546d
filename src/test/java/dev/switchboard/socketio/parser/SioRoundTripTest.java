package dev.switchboard.socketio.parser;

import static dev.switchboard.socketio.parser.SioEncoderTest.array;
import static dev.switchboard.socketio.parser.SioEncoderTest.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Every packet type, with and without namespace and ack id, survives encode → decode unchanged. */
class SioRoundTripTest {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    static Stream<SioPacket> packets() {
        List<SioPacket> packets = new ArrayList<>();
        for (String nsp : List.of("/", "/admin", "/a/b-c_1")) {
            packets.add(SioPacket.connect(nsp, null));
            packets.add(SioPacket.connect(nsp, json("{\"token\":\"123\",\"n\":1,\"f\":601234.567}")));
            packets.add(SioPacket.disconnect(nsp));
            packets.add(SioPacket.connectError(nsp, json("{\"message\":\"Not authorized\",\"data\":{\"code\":1.0}}")));
            packets.add(SioPacket.connectError(nsp, TextNode.valueOf("Unauthorized")));
            for (long ackId : new long[] {SioPacket.NO_ACK, 0, 12, Long.MAX_VALUE}) {
                packets.add(SioPacket.event(nsp, array("[\"hello\",1,{\"z\":null,\"a\":[true,2.50]}]"), ackId));
                packets.add(SioPacket.event(nsp, binaryData(), ackId));
                if (ackId >= 0) {
                    packets.add(SioPacket.ack(nsp, array("[]"), ackId));
                    packets.add(SioPacket.ack(nsp, array("[\"bar\",1]"), ackId));
                    packets.add(SioPacket.ack(nsp, binaryData(), ackId));
                }
            }
        }
        return packets.stream();
    }

    private static ArrayNode binaryData() {
        ObjectNode nested = NODES.objectNode();
        nested.set("second", NODES.binaryNode(new byte[] {4, 5}));
        nested.put("text", "t");
        return NODES.arrayNode().add("upload").add(NODES.binaryNode(new byte[] {1, 2, 3}))
                .add(nested).add(NODES.binaryNode(new byte[0]));
    }

    @ParameterizedTest
    @MethodSource("packets")
    void roundTrips(SioPacket packet) throws Exception {
        EncodedSioPacket encoded = new SioEncoder().encode(packet);
        SioDecoder decoder = new SioDecoder(SioDecoderLimits.defaults());

        Optional<SioPacket> decoded = decoder.decodeText(encoded.text());
        for (byte[] attachment : encoded.attachments()) {
            assertThat(decoded).isEmpty();
            decoded = decoder.decodeBinary(attachment);
        }

        assertThat(decoded).contains(packet);
        assertThat(decoder.awaitingAttachments()).isFalse();
    }
}
