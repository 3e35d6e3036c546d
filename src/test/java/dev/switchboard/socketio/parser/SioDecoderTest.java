package dev.switchboard.socketio.parser;

import static dev.switchboard.socketio.parser.SioEncoderTest.array;
import static dev.switchboard.socketio.parser.SioEncoderTest.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.util.Optional;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SioDecoderTest {

    private final SioDecoder decoder = new SioDecoder(SioDecoderLimits.defaults());

    private SioPacket decode(String text) throws SioParseException {
        Optional<SioPacket> packet = decoder.decodeText(text);
        assertThat(packet).isPresent();
        return packet.get();
    }

    private static void assertRejected(SioParseError error, ThrowingCallable call) {
        assertThatThrownBy(call)
                .isInstanceOfSatisfying(SioParseException.class, e -> assertThat(e.error()).isEqualTo(error));
    }

    private void assertRejected(SioParseError error, String text) {
        assertRejected(error, () -> decoder.decodeText(text));
        assertThat(decoder.awaitingAttachments()).isFalse();
    }

    // --- valid packets ---

    @Test
    void connectWithoutNamespace() throws Exception {
        assertThat(decode("0")).isEqualTo(SioPacket.connect("/", null));
    }

    @Test
    void connectNamespaceWithoutComma() throws Exception {
        assertThat(decode("0/custom")).isEqualTo(SioPacket.connect("/custom", null));
    }

    @Test
    void connectNamespaceWithComma() throws Exception {
        assertThat(decode("0/custom,")).isEqualTo(SioPacket.connect("/custom", null));
    }

    @Test
    void connectWithAuthPayload() throws Exception {
        assertThat(decode("0/custom,{\"token\":\"x\"}"))
                .isEqualTo(SioPacket.connect("/custom", json("{\"token\":\"x\"}")));
        assertThat(decode("0{\"token\":\"x\"}")).isEqualTo(SioPacket.connect("/", json("{\"token\":\"x\"}")));
    }

    @Test
    void connectToRandomNamespace() throws Exception {
        assertThat(decode("0/random").namespace()).isEqualTo("/random");
    }

    @Test
    void disconnect() throws Exception {
        assertThat(decode("1")).isEqualTo(SioPacket.disconnect("/"));
        assertThat(decode("1/admin,")).isEqualTo(SioPacket.disconnect("/admin"));
        assertThat(decode("1/admin")).isEqualTo(SioPacket.disconnect("/admin"));
    }

    @Test
    void event() throws Exception {
        SioPacket packet = decode("2[\"hello\",1]");
        assertThat(packet).isEqualTo(SioPacket.event("/", array("[\"hello\",1]"), SioPacket.NO_ACK));
        assertThat(packet.hasAck()).isFalse();
    }

    @Test
    void eventWithNamespaceAndAck() throws Exception {
        SioPacket packet = decode("2/admin,12[\"hello\"]");
        assertThat(packet).isEqualTo(SioPacket.event("/admin", array("[\"hello\"]"), 12));
        assertThat(packet.hasAck()).isTrue();
    }

    @Test
    void ackIdZero() throws Exception {
        assertThat(decode("20[\"x\"]").ackId()).isZero();
    }

    @Test
    void largestAckId() throws Exception {
        assertThat(decode("2" + Long.MAX_VALUE + "[\"x\"]").ackId()).isEqualTo(Long.MAX_VALUE);
    }

    @Test
    void ack() throws Exception {
        assertThat(decode("312[1,\"2\"]")).isEqualTo(SioPacket.ack("/", array("[1,\"2\"]"), 12));
        assertThat(decode("3/admin,0[]")).isEqualTo(SioPacket.ack("/admin", array("[]"), 0));
    }

    @Test
    void connectError() throws Exception {
        assertThat(decode("4{\"message\":\"Invalid namespace\"}"))
                .isEqualTo(SioPacket.connectError("/", json("{\"message\":\"Invalid namespace\"}")));
        assertThat(decode("4/random,\"Unauthorized\""))
                .isEqualTo(SioPacket.connectError("/random", TextNode.valueOf("Unauthorized")));
    }

    @Test
    void binaryEventIsReassembled() throws Exception {
        assertThat(decoder.decodeText("51-[\"message-back\",{\"_placeholder\":true,\"num\":0}]")).isEmpty();
        assertThat(decoder.awaitingAttachments()).isTrue();
        byte[] bytes = {1, 2, 3};

        SioPacket packet = decoder.decodeBinary(bytes).orElseThrow();

        assertThat(decoder.awaitingAttachments()).isFalse();
        assertThat(packet.type()).isEqualTo(SioPacketType.EVENT);
        assertThat(packet.data().get(0).textValue()).isEqualTo("message-back");
        assertThat(packet.data().get(1).isBinary()).isTrue();
        assertThat(packet.data().get(1).binaryValue()).isEqualTo(bytes);
    }

    @Test
    void binaryAckWithNamespaceIsReassembledInOrder() throws Exception {
        assertThat(decoder.decodeText(
                "62-/admin,789[{\"_placeholder\":true,\"num\":1},{\"k\":{\"_placeholder\":true,\"num\":0}}]")).isEmpty();
        assertThat(decoder.decodeBinary(new byte[] {10})).isEmpty();
        SioPacket packet = decoder.decodeBinary(new byte[] {11, 11}).orElseThrow();

        assertThat(packet.type()).isEqualTo(SioPacketType.ACK);
        assertThat(packet.namespace()).isEqualTo("/admin");
        assertThat(packet.ackId()).isEqualTo(789);
        assertThat(packet.data().get(0).binaryValue()).containsExactly(11, 11);
        assertThat(packet.data().get(1).get("k").binaryValue()).containsExactly(10);
    }

    @Test
    void unreferencedAttachmentIsAccepted() throws Exception {
        assertThat(decoder.decodeText("52-[\"x\",{\"_placeholder\":true,\"num\":0}]")).isEmpty();
        decoder.decodeBinary(new byte[] {1});
        assertThat(decoder.decodeBinary(new byte[] {2})).isPresent();
    }

    @Test
    void placeholderInPlainEventOrAckIsRejected() throws Exception {
        // forged: echoed next to real binary it would make receivers splice in another attachment (CVE-2022-2421)
        assertRejected(SioParseError.BAD_PLACEHOLDER, "2[\"x\",{\"_placeholder\":true,\"num\":0}]");
        assertRejected(SioParseError.BAD_PLACEHOLDER, "31[{\"a\":[{\"_placeholder\":true,\"num\":0}]}]");
        // only _placeholder:true makes a placeholder, as in the reference
        assertThat(decode("2[\"x\",{\"_placeholder\":false,\"num\":0}]").data().get(1).isObject()).isTrue();
    }

    @Test
    void decoderIsReusableAfterAPacket() throws Exception {
        decoder.decodeText("51-[\"a\",{\"_placeholder\":true,\"num\":0}]");
        decoder.decodeBinary(new byte[] {1});
        assertThat(decode("2[\"b\"]").data().get(0).textValue()).isEqualTo("b");
    }

    @Test
    void resetDropsPartialPacket() throws Exception {
        decoder.decodeText("51-[\"a\",{\"_placeholder\":true,\"num\":0}]");
        decoder.reset();
        assertThat(decoder.awaitingAttachments()).isFalse();
        assertThat(decode("2[\"b\"]")).isNotNull();
    }

    @Test
    void jsonDetailsAreKept() throws Exception {
        JsonNode data = decode("2[\"n\",{\"z\":1,\"a\":1.0},601234.567,12345678901234567890]").data();
        assertThat(SioJson.write(data)).isEqualTo("[\"n\",{\"z\":1,\"a\":1.0},601234.567,12345678901234567890]");
    }

    // --- rejections, one rule each ---

    @ParameterizedTest
    @ValueSource(strings = {"", "7", "9[\"x\"]", "a", "-1"})
    void unknownType(String text) {
        assertRejected(SioParseError.UNKNOWN_TYPE, text);
    }

    @Test
    void nullText() {
        assertRejected(SioParseError.UNKNOWN_TYPE, () -> decoder.decodeText(null));
    }

    @Test
    void controlCharacterInNamespace() {
        assertRejected(SioParseError.BAD_NAMESPACE, "2/ad\u0000min,[\"x\"]");
    }

    @Test
    void ackIdOverflowingLong() {
        assertRejected(SioParseError.BAD_ACK_ID, "29223372036854775808[\"x\"]");
    }

    @Test
    void junkWhereAckIdCouldBeIsNotSkipped() {
        assertRejected(SioParseError.BAD_JSON, "2abc[\"x\"]");
        assertRejected(SioParseError.BAD_JSON, "212abc[\"x\"]");
        assertRejected(SioParseError.BAD_JSON, "2-1[\"x\"]");
    }

    @Test
    void ackWithoutId() {
        assertRejected(SioParseError.BAD_ACK_ID, "3[\"x\"]");
    }

    @Test
    void ackIdOnConnect() {
        assertRejected(SioParseError.BAD_ACK_ID, "0/admin,12{}");
    }

    @Test
    void ackIdOnDisconnect() {
        assertRejected(SioParseError.BAD_ACK_ID, "112");
    }

    @Test
    void ackIdOnConnectError() {
        assertRejected(SioParseError.BAD_ACK_ID, "412\"no\"");
    }

    @ParameterizedTest
    @ValueSource(strings = {"2[\"some\",\"data\"", "2/admin,\"invalid", "2[\"x\"] trailing", "2[\"x\"][]", "2 ", "2{'a':1}"})
    void malformedJson(String text) {
        assertRejected(SioParseError.BAD_JSON, text);
    }

    @Test
    void connectPayloadNotAnObject() {
        assertRejected(SioParseError.BAD_PAYLOAD, "0/admin,\"invalid\"");
        assertRejected(SioParseError.BAD_PAYLOAD, "0[]");
        assertRejected(SioParseError.BAD_PAYLOAD, "0null");
    }

    @Test
    void disconnectWithPayload() {
        assertRejected(SioParseError.BAD_PAYLOAD, "1/admin,{}");
    }

    @Test
    void eventPayloadNotAnArray() {
        assertRejected(SioParseError.BAD_PAYLOAD, "2/admin,{}");
        assertRejected(SioParseError.BAD_PAYLOAD, "2\"x\"");
    }

    @Test
    void eventWithoutPayload() {
        assertRejected(SioParseError.BAD_PAYLOAD, "2");
        assertRejected(SioParseError.BAD_PAYLOAD, "2/admin,");
        assertRejected(SioParseError.BAD_PAYLOAD, "212");
    }

    @Test
    void eventWithEmptyArray() {
        assertRejected(SioParseError.BAD_PAYLOAD, "2[]");
    }

    @ParameterizedTest
    @ValueSource(strings = {"2[1,\"a\"]", "2[true,\"foo\"]", "2[null,\"bar\"]", "2[{\"toString\":\"foo\"}]", "2[[\"x\"]]"})
    void eventNameNotAString(String text) {
        assertRejected(SioParseError.BAD_EVENT_NAME, text);
    }

    @ParameterizedTest
    @ValueSource(strings = {"2[\"connect\"]", "2[\"disconnect\",\"123\"]", "2[\"connect_error\"]",
            "2[\"disconnecting\"]", "2[\"newListener\"]", "2[\"removeListener\"]"})
    void reservedEventName(String text) {
        assertRejected(SioParseError.BAD_EVENT_NAME, text);
    }

    @Test
    void ackPayloadNotAnArray() {
        assertRejected(SioParseError.BAD_PAYLOAD, "312{}");
        assertRejected(SioParseError.BAD_PAYLOAD, "312");
    }

    @Test
    void connectErrorPayloadWrongShape() {
        assertRejected(SioParseError.BAD_PAYLOAD, "4[\"x\"]");
        assertRejected(SioParseError.BAD_PAYLOAD, "4");
        assertRejected(SioParseError.BAD_PAYLOAD, "442");
    }

    @ParameterizedTest
    @ValueSource(strings = {"5", "51", "5a-", "51.23-", "5-[\"x\"]", "6-12[]", "5+1-[\"x\"]"})
    void malformedAttachmentCount(String text) {
        assertRejected(SioParseError.BAD_ATTACHMENT_COUNT, text);
    }

    @Test
    void zeroAttachmentsOnBinaryType() {
        assertRejected(SioParseError.BAD_ATTACHMENT_COUNT, "50-[\"x\"]");
        assertRejected(SioParseError.BAD_ATTACHMENT_COUNT, "60-1[]");
    }

    @Test
    void binaryPacketFollowsPayloadRules() {
        assertRejected(SioParseError.BAD_EVENT_NAME, "51-[{\"_placeholder\":true,\"num\":0}]");
        assertRejected(SioParseError.BAD_ACK_ID, "61-[{\"_placeholder\":true,\"num\":0}]");
    }

    @Test
    void tooManyAttachments() {
        SioDecoder strict = new SioDecoder(new SioDecoderLimits(2, 1000));
        assertRejected(SioParseError.TOO_MANY_ATTACHMENTS, () -> strict.decodeText(
                "53-[\"hello\",{\"_placeholder\":true,\"num\":0},{\"_placeholder\":true,\"num\":1},"
                        + "{\"_placeholder\":true,\"num\":2}]"));
        assertThat(strict.awaitingAttachments()).isFalse();
    }

    @Test
    void hugeDeclaredAttachmentCountIsRejectedAtOnce() {
        assertRejected(SioParseError.TOO_MANY_ATTACHMENTS, "52147483648-[\"x\"]");
        assertRejected(SioParseError.TOO_MANY_ATTACHMENTS, "5" + "9".repeat(5000) + "-[\"x\"]");
        assertRejected(SioParseError.TOO_MANY_ATTACHMENTS, "611-1[]");
    }

    @Test
    void limitIsInclusive() throws Exception {
        SioDecoder strict = new SioDecoder(new SioDecoderLimits(2, 1000));
        assertThat(strict.decodeText("52-[\"x\"]")).isEmpty();
        assertThat(strict.awaitingAttachments()).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"\"splice\"", "1.5", "-1", "2", "null", "99999999999", "1.0"})
    void placeholderIndexOutOfRangeOrNotAnInteger(String num) {
        assertRejected(SioParseError.BAD_PLACEHOLDER,
                "52-[\"x\",{\"_placeholder\":true,\"num\":" + num + "}]");
    }

    @Test
    void placeholderWithoutNum() {
        assertRejected(SioParseError.BAD_PLACEHOLDER, "51-[\"x\",{\"_placeholder\":true}]");
    }

    @Test
    void nestedBadPlaceholder() {
        assertRejected(SioParseError.BAD_PLACEHOLDER, "51-[\"x\",{\"a\":[{\"_placeholder\":true,\"num\":1}]}]");
    }

    @Test
    void binaryWhenNoneExpected() {
        assertRejected(SioParseError.UNEXPECTED_BINARY, () -> decoder.decodeBinary(new byte[] {1}));
    }

    @Test
    void binaryAfterPacketCompleted() throws Exception {
        decoder.decodeText("51-[\"a\",{\"_placeholder\":true,\"num\":0}]");
        decoder.decodeBinary(new byte[] {1});
        assertRejected(SioParseError.UNEXPECTED_BINARY, () -> decoder.decodeBinary(new byte[] {2}));
    }

    @Test
    void nullBinary() throws Exception {
        decoder.decodeText("51-[\"a\",{\"_placeholder\":true,\"num\":0}]");
        assertRejected(SioParseError.UNEXPECTED_BINARY, () -> decoder.decodeBinary(null));
        assertThat(decoder.awaitingAttachments()).isFalse();
    }

    @Test
    void textWhileAttachmentsAwaited() throws Exception {
        decoder.decodeText("52-[\"a\",{\"_placeholder\":true,\"num\":0}]");
        decoder.decodeBinary(new byte[] {1});
        assertRejected(SioParseError.UNEXPECTED_TEXT, "2[\"b\"]");
        assertThat(decoder.awaitingAttachments()).isFalse();
    }

    @Test
    void attachmentsOverByteLimit() throws Exception {
        SioDecoder small = new SioDecoder(new SioDecoderLimits(10, 10));
        small.decodeText("52-[\"a\",{\"_placeholder\":true,\"num\":0},{\"_placeholder\":true,\"num\":1}]");
        assertThat(small.decodeBinary(new byte[6])).isEmpty();
        assertRejected(SioParseError.PAYLOAD_TOO_LARGE, () -> small.decodeBinary(new byte[5]));
        assertThat(small.awaitingAttachments()).isFalse();
    }

    @Test
    void attachmentsExactlyAtByteLimit() throws Exception {
        SioDecoder small = new SioDecoder(new SioDecoderLimits(10, 10));
        small.decodeText("52-[\"a\",{\"_placeholder\":true,\"num\":0},{\"_placeholder\":true,\"num\":1}]");
        small.decodeBinary(new byte[6]);
        assertThat(small.decodeBinary(new byte[4])).isPresent();
    }

    @Test
    void singleAttachmentOverByteLimit() throws Exception {
        SioDecoder small = new SioDecoder(new SioDecoderLimits(10, 10));
        small.decodeText("51-[\"a\",{\"_placeholder\":true,\"num\":0}]");
        assertRejected(SioParseError.PAYLOAD_TOO_LARGE, () -> small.decodeBinary(new byte[11]));
    }

    @Test
    void deeplyNestedJsonIsAParseError() {
        String deep = "2[\"x\"," + "[".repeat(5000) + "]".repeat(5000) + "]";
        assertRejected(SioParseError.BAD_JSON, deep);
    }

    @Test
    void limitsRejectNegativeValues() {
        assertThatThrownBy(() -> new SioDecoderLimits(-1, 10)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new SioDecoderLimits(1, -1)).isInstanceOf(IllegalArgumentException.class);
        assertThat(SioDecoderLimits.defaults()).isEqualTo(new SioDecoderLimits(10, 1_000_000));
    }
}
