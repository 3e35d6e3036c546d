package dev.switchboard.socketio.parser;

import static dev.switchboard.socketio.parser.SioEncoderTest.array;
import static dev.switchboard.socketio.parser.SioEncoderTest.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

class SioPacketTest {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    @Test
    void typeCodes() {
        for (SioPacketType type : SioPacketType.values()) {
            assertThat(SioPacketType.fromCode(type.code())).isSameAs(type);
        }
        assertThat(SioPacketType.BINARY_ACK.code()).isEqualTo(6);
        assertThatThrownBy(() -> SioPacketType.fromCode(7)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> SioPacketType.fromCode(-1)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void negativeAckIdMeansNone() {
        SioPacket packet = SioPacket.event("/", array("[\"x\"]"), -42);
        assertThat(packet.ackId()).isEqualTo(SioPacket.NO_ACK);
        assertThat(packet.hasAck()).isFalse();
        assertThat(packet).isEqualTo(SioPacket.event("/", array("[\"x\"]"), SioPacket.NO_ACK));
    }

    @Test
    void binaryTypesAreWireOnly() {
        assertThatThrownBy(() -> new SioPacket(SioPacketType.BINARY_EVENT, "/", array("[\"x\"]"), -1))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new SioPacket(SioPacketType.BINARY_ACK, "/", array("[]"), 1))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void namespaceMustBeWritable() {
        assertThatThrownBy(() -> SioPacket.disconnect(null)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> SioPacket.disconnect("")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> SioPacket.disconnect("admin")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> SioPacket.disconnect("/a,b")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void payloadShapesAreChecked() {
        assertThatThrownBy(() -> SioPacket.connect("/", array("[]"))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> SioPacket.connect("/", NullNode.instance)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> SioPacket.event("/", array("[]"), -1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> SioPacket.event("/", array("[1]"), -1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> SioPacket.event("/", null, -1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> SioPacket.ack("/", array("[]"), -1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> SioPacket.connectError("/", null)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new SioPacket(SioPacketType.DISCONNECT, "/", json("{}"), -1))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new SioPacket(SioPacketType.CONNECT, "/", null, 3))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void binaryOnlyInEventsAndAcks() {
        ObjectNode withBinary = NODES.objectNode();
        withBinary.set("b", NODES.binaryNode(new byte[] {1}));
        assertThatThrownBy(() -> SioPacket.connect("/", withBinary)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> SioPacket.connectError("/", withBinary)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void encodedPacketCopiesAttachmentList() {
        java.util.List<byte[]> list = new java.util.ArrayList<>();
        list.add(new byte[] {1});
        EncodedSioPacket encoded = new EncodedSioPacket("51-[\"x\"]", list);
        list.clear();
        assertThat(encoded.attachments()).hasSize(1);
    }
}
