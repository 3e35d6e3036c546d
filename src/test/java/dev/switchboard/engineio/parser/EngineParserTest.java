package dev.switchboard.engineio.parser;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class EngineParserTest {
    private static final String RS = "\u001e";

    @ParameterizedTest
    @EnumSource(EnginePacketType.class)
    void everyTypeRoundTripsAsTextWithAndWithoutData(EnginePacketType type) throws Exception {
        EnginePacket bare = EnginePacket.of(type, "");
        String wire = EngineParser.encodeText(bare);
        assertThat(wire).isEqualTo(String.valueOf((char) ('0' + type.ordinal())));
        assertThat(EngineParser.decodeText(wire)).isEqualTo(bare);

        EnginePacket withData = EnginePacket.of(type, "probe é ✓");
        String wire2 = EngineParser.encodeText(withData);
        assertThat(wire2).isEqualTo(type.code() + "probe é ✓");
        assertThat(EngineParser.decodeText(wire2)).isEqualTo(withData);

        assertThat(EngineParser.decodePayload(EngineParser.encodePayload(List.of(withData)))).containsExactly(withData);
    }

    @Test
    void wireDigitsFollowTheSpec() {
        assertThat(EngineParser.encodeText(EnginePacket.PING)).isEqualTo("2");
        assertThat(EngineParser.encodeText(EnginePacket.PONG)).isEqualTo("3");
        assertThat(EngineParser.encodeText(EnginePacket.CLOSE)).isEqualTo("1");
        assertThat(EngineParser.encodeText(EnginePacket.UPGRADE)).isEqualTo("5");
        assertThat(EngineParser.encodeText(EnginePacket.NOOP)).isEqualTo("6");
        assertThat(EngineParser.encodeText(EnginePacket.message("hello"))).isEqualTo("4hello");
        assertThat(EngineParser.encodeText(EnginePacket.of(EnginePacketType.OPEN, "{}"))).isEqualTo("0{}");
    }

    @Test
    void payloadJoinsWithRecordSeparatorAndBinaryAsBase64() throws Exception {
        List<EnginePacket> packets = List.of(EnginePacket.message("hello"), EnginePacket.message(new byte[]{1, 2, 3, 4}),
                EnginePacket.PING, EnginePacket.message(""));
        String payload = EngineParser.encodePayload(packets);
        assertThat(payload).isEqualTo("4hello" + RS + "bAQIDBA==" + RS + "2" + RS + "4");
        assertThat(EngineParser.decodePayload(payload)).containsExactlyElementsOf(packets);
    }

    @Test
    void decodesSpecExamples() throws Exception {
        assertThat(EngineParser.decodePayload("4hello" + RS + "4€" + RS + "bAQIDBA=="))
                .containsExactly(EnginePacket.message("hello"), EnginePacket.message("€"),
                        EnginePacket.message(new byte[]{1, 2, 3, 4}));
        assertThat(EngineParser.decodePayload("4a" + RS + "4b" + RS + "4c"))
                .extracting(EnginePacket::text).containsExactly("a", "b", "c");
        EnginePacket bin = EngineParser.decodePayload("bAQIDBA==").get(0);
        assertThat(bin.isBinary()).isTrue();
        assertThat(bin.type()).isEqualTo(EnginePacketType.MESSAGE);
        assertThat(bin.binary()).containsExactly(1, 2, 3, 4);
        assertThat(EngineParser.decodePayload("b").get(0).binary()).isEmpty();
    }

    @Test
    void messageTextMayContainDigitsAndJson() throws Exception {
        EnginePacket p = EngineParser.decodeText("42[\"event\",1]");
        assertThat(p.type()).isEqualTo(EnginePacketType.MESSAGE);
        assertThat(p.text()).isEqualTo("2[\"event\",1]");
    }

    @Test
    void binaryPacketHasNoTextForm() {
        assertThatThrownBy(() -> EngineParser.encodeText(EnginePacket.message(new byte[]{1})))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "a", "abc", "7", "9x", "/", " 4a", "bAQIDBA=="})
    void badTextFramesAreRejected(String frame) {
        assertThatThrownBy(() -> EngineParser.decodeText(frame)).isInstanceOf(EngineParseException.class);
    }

    @Test
    void nullFrameIsRejected() {
        assertThatThrownBy(() -> EngineParser.decodeText(null)).isInstanceOf(EngineParseException.class);
        assertThatThrownBy(() -> EngineParser.decodePayload(null)).isInstanceOf(EngineParseException.class);
    }

    @Test
    void base64WithTheJavaClientsLineBreaksIsAccepted() throws Exception {
        // io.socket engine.io-client 2.x: Android Base64.DEFAULT, a "\n" every 76 characters and at the end
        byte[] data = new byte[100];
        for (int i = 0; i < data.length; i++) {
            data[i] = (byte) i;
        }
        String b64 = java.util.Base64.getEncoder().encodeToString(data);
        String wrapped = b64.substring(0, 76) + "\n" + b64.substring(76) + "\n";
        assertThat(EngineParser.decodePayload("4a" + RS + "b" + wrapped).get(1).binary()).containsExactly(data);
        assertThat(EngineParser.decodePayload("bAAEC/v8=\r\n").get(0).binary()).containsExactly(0, 1, 2, -2, -1);
        assertThatThrownBy(() -> EngineParser.decodePayload("bAAEC /v8=")).isInstanceOf(EngineParseException.class);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "abc", "a", "b!!!", "bAQI*BA==", "4a\u001eabc", "4a\u001e", "\u001e4a",
            "4a\u001e\u001e4b", "4a\u001eb@@"})
    void badPayloadsAreRejected(String payload) {
        assertThatThrownBy(() -> EngineParser.decodePayload(payload)).isInstanceOf(EngineParseException.class);
    }

    @Test
    void packetInvariants() {
        assertThatThrownBy(() -> new EnginePacket(EnginePacketType.PING, null, new byte[1]))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new EnginePacket(EnginePacketType.MESSAGE, "x", new byte[1]))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(new EnginePacket(EnginePacketType.MESSAGE, null, null).text()).isEmpty();
        assertThat(EnginePacket.message(new byte[]{1, 2})).isEqualTo(EnginePacket.message(new byte[]{1, 2}))
                .hasSameHashCodeAs(EnginePacket.message(new byte[]{1, 2}));
        assertThat(EnginePacketType.fromCode('7')).isNull();
        assertThat(EnginePacketType.fromCode('0')).isEqualTo(EnginePacketType.OPEN);
        assertThat(EnginePacketType.fromCode('6')).isEqualTo(EnginePacketType.NOOP);
    }
}
