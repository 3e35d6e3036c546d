package dev.switchboard.engineio.transport;

import dev.switchboard.engineio.parser.EnginePacket;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class WebSocketWriterTest {
    static final class Conn implements WebSocketConnection {
        final List<Object> frames = new ArrayList<>();
        final List<Integer> closes = new ArrayList<>();
        Runnable onSend = () -> { };
        boolean fail;

        @Override public void sendText(String text, Runnable written) {
            if (fail) {
                throw new IllegalStateException("broken");
            }
            frames.add(text);
            onSend.run();
            written.run();
        }

        @Override public void sendBinary(byte[] data, Runnable written) {
            frames.add(data);
            onSend.run();
            written.run();
        }

        @Override public void close(int code, String reason) {
            closes.add(code);
        }
    }

    @Test
    void writesTextAndRawBinaryInOrder() {
        Conn c = new Conn();
        WebSocketWriter w = new WebSocketWriter(c);
        w.enqueue(EnginePacket.message("a"));
        w.enqueue(EnginePacket.message(new byte[]{1, 2}));
        w.enqueue(EnginePacket.PING);
        assertThat(w.queued()).isEqualTo(3);
        w.drain();
        assertThat(w.queued()).isZero();
        assertThat(c.frames).hasSize(3);
        assertThat(c.frames.get(0)).isEqualTo("4a");
        assertThat((byte[]) c.frames.get(1)).containsExactly(1, 2);
        assertThat(c.frames.get(2)).isEqualTo("2");
        assertThat(c.closes).isEmpty();
    }

    @Test
    void packetsQueuedWhileDrainingAreWrittenByTheDrainer() {
        Conn c = new Conn();
        WebSocketWriter w = new WebSocketWriter(c);
        c.onSend = () -> {
            if (c.frames.size() == 1) {
                w.enqueue(EnginePacket.message("second"));
                w.drain(); // re-entrant: must not write out of order
            }
        };
        w.enqueue(EnginePacket.message("first"));
        w.drain();
        assertThat(c.frames).containsExactly("4first", "4second");
    }

    @Test
    void closeAfterDrainClosesOnceAndDropsLaterPackets() {
        Conn c = new Conn();
        WebSocketWriter w = new WebSocketWriter(c);
        w.enqueue(EnginePacket.message("last"));
        w.closeAfterDrain();
        w.enqueue(EnginePacket.message("dropped"));
        w.drain();
        w.drain();
        assertThat(c.frames).containsExactly("4last");
        assertThat(c.closes).containsExactly(1000);
    }

    @Test
    void failedSendPropagatesAndWriterCanDrainAgain() {
        Conn c = new Conn();
        WebSocketWriter w = new WebSocketWriter(c);
        c.fail = true;
        w.enqueue(EnginePacket.message("x"));
        assertThatThrownBy(w::drain).isInstanceOf(IllegalStateException.class);
        c.fail = false;
        w.enqueue(EnginePacket.message("y"));
        w.drain();
        assertThat(c.frames).containsExactly("4y");
    }
}
