package dev.switchboard.socketio;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class BinaryTest {

    private static final String TWO_PLACEHOLDERS =
            "{\"_placeholder\":true,\"num\":0},{\"_placeholder\":true,\"num\":1}";

    private SioHarness h;
    private FakeEngineSocket engine;
    private Socket socket;

    @BeforeEach
    void setUp() {
        h = new SioHarness();
        engine = h.open();
        socket = h.connect(engine, "/");
        socket.on("message", (args, ack) -> socket.emit("message-back", args.toArray()));
        socket.on("message-with-ack", (args, ack) -> ack.send(args.toArray()));
        engine.clearFrames();
    }

    @Test
    void binaryEventRoundTripsWithAttachmentsInOneBatch() {
        engine.receive("52-[\"message\"," + TWO_PLACEHOLDERS + "]");
        assertThat(engine.frames()).isEmpty();
        engine.receive(new byte[] {1, 2, 3});
        engine.receive(new byte[] {4, 5, 6});

        assertThat(engine.batches()).hasSize(1);
        List<?> batch = engine.batches().get(0);
        assertThat(batch).hasSize(3);
        assertThat(batch.get(0)).isEqualTo("52-[\"message-back\"," + TWO_PLACEHOLDERS + "]");
        assertThat((byte[]) batch.get(1)).containsExactly(1, 2, 3);
        assertThat((byte[]) batch.get(2)).containsExactly(4, 5, 6);
    }

    @Test
    void binaryAckBecomesBinaryAck() {
        engine.receive("52-789[\"message-with-ack\"," + TWO_PLACEHOLDERS + "]");
        engine.receive(new byte[] {1, 2, 3});
        engine.receive(new byte[] {4, 5, 6});
        List<?> batch = engine.batches().get(0);
        assertThat(batch.get(0)).isEqualTo("62-789[" + TWO_PLACEHOLDERS + "]");
        assertThat((byte[]) batch.get(2)).containsExactly(4, 5, 6);
    }

    @Test
    void handlersGetBinaryNodesAndEmitAcceptsByteArrays() throws Exception {
        List<JsonNode> received = new java.util.ArrayList<>();
        socket.on("upload", (args, ack) -> received.addAll(args));
        engine.receive("51-[\"upload\",{\"name\":\"f\",\"bytes\":{\"_placeholder\":true,\"num\":0}}]");
        engine.receive(new byte[] {9});
        assertThat(received.get(0).get("bytes").isBinary()).isTrue();
        assertThat(received.get(0).get("bytes").binaryValue()).containsExactly(9);

        socket.emit("file", new byte[] {7, 8}, "name");
        List<?> batch = engine.batches().get(0);
        assertThat(batch.get(0)).isEqualTo("51-[\"file\",{\"_placeholder\":true,\"num\":0},\"name\"]");
        assertThat((byte[]) batch.get(1)).containsExactly(7, 8);
    }
}
