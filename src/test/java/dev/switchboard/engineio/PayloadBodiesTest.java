package dev.switchboard.engineio;

import dev.switchboard.engineio.parser.EnginePacket;
import dev.switchboard.engineio.parser.EngineParser;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class PayloadBodiesTest {
    private final PayloadBodies bodies = new PayloadBodies();

    private static String text(byte[] body) {
        return new String(body, StandardCharsets.UTF_8);
    }

    @Test
    void oneBroadcastMessageIsEncodedOnceForEveryRecipient() {
        String message = "2[\"new_message\",{\"text\":\"héllo ✓\"}]";
        byte[] first = bodies.of(List.of(EnginePacket.message(message)));
        byte[] second = bodies.of(List.of(EnginePacket.message(message)));
        assertThat(second).isSameAs(first);
        assertThat(text(first)).isEqualTo("4" + message);
    }

    @Test
    void anEqualTextThatIsAnotherMessageGetsItsOwnBodyWithTheSameBytes() {
        String one = new String("42[\"x\"]");
        String two = new String("42[\"x\"]");
        byte[] first = bodies.of(List.of(EnginePacket.message(one)));
        byte[] second = bodies.of(List.of(EnginePacket.message(two)));
        assertThat(second).isNotSameAs(first).isEqualTo(first);
    }

    @Test
    void theTypeIsPartOfWhatIsKept() {
        assertThat(text(bodies.of(List.of(EnginePacket.NOOP)))).isEqualTo("6");
        assertThat(text(bodies.of(List.of(EnginePacket.PING)))).isEqualTo("2");
        assertThat(text(bodies.of(List.of(EnginePacket.message(""))))).isEqualTo("4");
    }

    @Test
    void severalPacketsAndBinaryAreEncodedAsTheParserDoes() {
        List<EnginePacket> packets = List.of(EnginePacket.message("40"), EnginePacket.message(new byte[] {1, 2, 3}),
                EnginePacket.PING);
        assertThat(text(bodies.of(packets))).isEqualTo(EngineParser.encodePayload(packets)).isEqualTo("440\u001ebAQID\u001e2");
        List<EnginePacket> binary = List.of(EnginePacket.message(new byte[] {1, 2, 3}));
        assertThat(text(bodies.of(binary))).isEqualTo("bAQID");
        assertThat(bodies.of(binary)).isNotSameAs(bodies.of(binary));
    }

    @Test
    void aMessageSentToManyPollingSessionsIsOneBodyWhetherTheirGetsWereHeldOrCameLater() {
        EngineHarness h = new EngineHarness();
        String held = h.handshake();
        String later = h.handshake();
        FakePollExchange heldGet = h.get(held);
        String message = "2[\"new_message\",{\"text\":\"hi\"}]";
        h.handler.sockets.get(0).send(message);
        h.handler.sockets.get(1).send(message);
        FakePollExchange laterGet = h.get(later);
        assertThat(heldGet.bodyText()).isEqualTo("4" + message);
        assertThat(laterGet.reply().body()).isSameAs(heldGet.reply().body());
    }

    @Test
    void aGetThatComesBackAFewMessagesLateStillGetsTheKeptBody() {
        String late = "2[\"m\",1]";
        byte[] first = bodies.of(List.of(EnginePacket.message(late)));
        for (int i = 2; i <= PayloadBodies.KEPT; i++) {
            bodies.of(List.of(EnginePacket.message("2[\"m\"," + i + "]")));
        }
        assertThat(bodies.of(List.of(EnginePacket.message(late)))).isSameAs(first);
        bodies.of(List.of(EnginePacket.message("2[\"m\",99]")));
        bodies.of(List.of(EnginePacket.message("2[\"m\",100]")));
        assertThat(bodies.of(List.of(EnginePacket.message(late)))).as("pushed out").isNotSameAs(first).isEqualTo(first);
    }

    @Test
    void largeBodiesAreNotKept() {
        String large = "x".repeat(PayloadBodies.MAX_KEPT_BYTES);
        byte[] first = bodies.of(List.of(EnginePacket.message(large)));
        assertThat(bodies.of(List.of(EnginePacket.message(large)))).isNotSameAs(first).isEqualTo(first);
    }
}
