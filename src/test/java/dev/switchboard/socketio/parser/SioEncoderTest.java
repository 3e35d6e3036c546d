package dev.switchboard.socketio.parser;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.BinaryNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import org.junit.jupiter.api.Test;

class SioEncoderTest {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private final SioEncoder encoder = new SioEncoder();

    static JsonNode json(String text) {
        try {
            return SioJson.read(text);
        } catch (JsonProcessingException e) {
            throw new AssertionError(e);
        }
    }

    static ArrayNode array(String text) {
        return (ArrayNode) json(text);
    }

    private String text(SioPacket packet) {
        EncodedSioPacket encoded = encoder.encode(packet);
        assertThat(encoded.attachments()).isEmpty();
        return encoded.text();
    }

    @Test
    void connectToMainNamespaceWithoutData() {
        assertThat(text(SioPacket.connect("/", null))).isEqualTo("0");
    }

    @Test
    void connectWithNamespaceAndData() {
        assertThat(text(SioPacket.connect("/admin", json("{\"sid\":\"x\"}")))).isEqualTo("0/admin,{\"sid\":\"x\"}");
    }

    @Test
    void connectToMainNamespaceWithData() {
        assertThat(text(SioPacket.connect("/", json("{\"sid\":\"x\"}")))).isEqualTo("0{\"sid\":\"x\"}");
    }

    @Test
    void event() {
        assertThat(text(SioPacket.event("/", array("[\"hello\",1]"), SioPacket.NO_ACK))).isEqualTo("2[\"hello\",1]");
    }

    @Test
    void eventWithNamespaceAndAck() {
        assertThat(text(SioPacket.event("/admin", array("[\"hello\"]"), 12))).isEqualTo("2/admin,12[\"hello\"]");
    }

    @Test
    void ack() {
        assertThat(text(SioPacket.ack("/", array("[1,\"2\"]"), 12))).isEqualTo("312[1,\"2\"]");
    }

    @Test
    void connectError() {
        assertThat(text(SioPacket.connectError("/", json("{\"message\":\"Invalid namespace\"}"))))
                .isEqualTo("4{\"message\":\"Invalid namespace\"}");
        assertThat(text(SioPacket.connectError("/random", json("{\"message\":\"Invalid namespace\"}"))))
                .isEqualTo("4/random,{\"message\":\"Invalid namespace\"}");
        assertThat(text(SioPacket.connectError("/", TextNode.valueOf("Unauthorized")))).isEqualTo("4\"Unauthorized\"");
    }

    @Test
    void disconnect() {
        assertThat(text(SioPacket.disconnect("/"))).isEqualTo("1");
        assertThat(text(SioPacket.disconnect("/admin"))).isEqualTo("1/admin,");
    }

    @Test
    void binaryEvent() {
        byte[] bytes = {1, 2, 3, 4};
        ArrayNode data = NODES.arrayNode().add("message-back").add(NODES.binaryNode(bytes));
        EncodedSioPacket encoded = encoder.encode(SioPacket.event("/", data, SioPacket.NO_ACK));
        assertThat(encoded.text()).isEqualTo("51-[\"message-back\",{\"_placeholder\":true,\"num\":0}]");
        assertThat(encoded.attachments()).containsExactly(bytes);
    }

    @Test
    void binaryAck() {
        byte[] a = {1};
        byte[] b = {2, 2};
        ArrayNode data = NODES.arrayNode().add(NODES.binaryNode(a)).add(NODES.binaryNode(b));
        EncodedSioPacket encoded = encoder.encode(SioPacket.ack("/", data, 789));
        assertThat(encoded.text())
                .isEqualTo("62-789[{\"_placeholder\":true,\"num\":0},{\"_placeholder\":true,\"num\":1}]");
        assertThat(encoded.attachments()).containsExactly(a, b);
    }

    @Test
    void binaryEventWithNamespace() {
        byte[] a = {1, 2};
        byte[] b = {3, 4};
        ArrayNode data = NODES.arrayNode().add("baz").add(NODES.binaryNode(a)).add(NODES.binaryNode(b));
        EncodedSioPacket encoded = encoder.encode(SioPacket.event("/admin", data, 3));
        assertThat(encoded.text()).isEqualTo(
                "52-/admin,3[\"baz\",{\"_placeholder\":true,\"num\":0},{\"_placeholder\":true,\"num\":1}]");
        assertThat(encoded.attachments()).containsExactly(a, b);
    }

    @Test
    void placeholdersFollowDocumentOrderThroughNestedBinaries() {
        byte[] b0 = {0};
        byte[] b1 = {1};
        byte[] b2 = {2};
        byte[] b3 = {3};
        byte[] b4 = {4};
        ObjectNode inner = NODES.objectNode();
        inner.set("z", NODES.binaryNode(b1)); // key order, not alphabetical
        inner.set("a", NODES.arrayNode().add(NODES.binaryNode(b2)).add(NODES.objectNode().set("deep", NODES.binaryNode(b3))));
        ArrayNode data = NODES.arrayNode().add("ev").add(NODES.binaryNode(b0)).add(inner).add(NODES.binaryNode(b4));

        EncodedSioPacket encoded = encoder.encode(SioPacket.event("/", data, SioPacket.NO_ACK));

        assertThat(encoded.text()).isEqualTo("55-[\"ev\",{\"_placeholder\":true,\"num\":0},"
                + "{\"z\":{\"_placeholder\":true,\"num\":1},\"a\":[{\"_placeholder\":true,\"num\":2},"
                + "{\"deep\":{\"_placeholder\":true,\"num\":3}}]},{\"_placeholder\":true,\"num\":4}]");
        assertThat(encoded.attachments()).containsExactly(b0, b1, b2, b3, b4);
    }

    @Test
    void sameBufferTwiceGivesTwoAttachments() {
        byte[] b = {9};
        ArrayNode data = NODES.arrayNode().add("ev").add(NODES.binaryNode(b)).add(NODES.binaryNode(b));
        EncodedSioPacket encoded = encoder.encode(SioPacket.event("/", data, SioPacket.NO_ACK));
        assertThat(encoded.text()).startsWith("52-");
        assertThat(encoded.attachments()).hasSize(2);
    }

    @Test
    void doesNotMutateCallersTree() {
        BinaryNode bin = NODES.binaryNode(new byte[] {7});
        ObjectNode obj = NODES.objectNode();
        obj.set("file", bin);
        ArrayNode data = NODES.arrayNode().add("upload").add(obj);
        String before = data.toString();

        encoder.encode(SioPacket.event("/", data, 1));

        assertThat(data.toString()).isEqualTo(before);
        assertThat(obj.get("file")).isSameAs(bin);
    }

    @Test
    void emptyAckPayload() {
        assertThat(text(SioPacket.ack("/admin", NODES.arrayNode(), 0))).isEqualTo("3/admin,0[]");
    }

    @Test
    void findsBinaryBelowTheDepthItRecursesTo() {
        // nested deeper than containsBinary recurses (64), still well within what can be written (1000)
        ArrayNode data = NODES.arrayNode().add("deep");
        ArrayNode inner = data;
        for (int i = 0; i < 200; i++) {
            ArrayNode next = NODES.arrayNode();
            inner.add(next);
            inner = next;
        }
        inner.add(NODES.binaryNode(new byte[] {5}));

        EncodedSioPacket encoded = encoder.encode(SioPacket.event("/", data, SioPacket.NO_ACK));

        assertThat(encoded.text()).startsWith("51-[\"deep\",[[[").contains("{\"_placeholder\":true,\"num\":0}");
        assertThat(encoded.attachments()).containsExactly(new byte[] {5});
    }

    @Test
    void aDeepTreeWithoutBinaryStaysText() {
        ArrayNode data = NODES.arrayNode().add("deep");
        ArrayNode inner = data;
        for (int i = 0; i < 200; i++) {
            ArrayNode next = NODES.arrayNode().add(i);
            inner.add(next);
            inner = next;
        }

        EncodedSioPacket encoded = encoder.encode(SioPacket.event("/", data, SioPacket.NO_ACK));

        assertThat(encoded.text()).startsWith("2[\"deep\",[0,[1,[2,");
        assertThat(encoded.attachments()).isEmpty();
    }
}
