package dev.switchboard.container;

import dev.switchboard.engineio.Scheduler;
import org.glassfish.grizzly.Buffer;
import org.glassfish.grizzly.Connection;
import org.glassfish.grizzly.ConnectionProbe;
import org.glassfish.grizzly.filterchain.BaseFilter;
import org.glassfish.grizzly.filterchain.FilterChainBuilder;
import org.glassfish.grizzly.filterchain.FilterChainContext;
import org.glassfish.grizzly.filterchain.NextAction;
import org.glassfish.grizzly.filterchain.TransportFilter;
import org.glassfish.grizzly.nio.transport.TCPNIOTransport;
import org.glassfish.grizzly.nio.transport.TCPNIOTransportBuilder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Frames written while a read is handled leave as one write per connection, in order, on a real Grizzly transport and
 * a real TCP connection; the transport's own write probe counts the writes.
 */
class WriteBatchTest {
    private TCPNIOTransport transport;
    private final CompletableFuture<Connection<?>> accepted = new CompletableFuture<>();
    private final List<Integer> writes = new CopyOnWriteArrayList<>();
    private Socket client;
    private GrizzlyWebSocket socket;

    @BeforeEach
    void connect() throws Exception {
        transport = TCPNIOTransportBuilder.newInstance().build();
        transport.setProcessor(FilterChainBuilder.stateless().add(new TransportFilter()).add(new BaseFilter() {
            @Override
            public NextAction handleAccept(FilterChainContext ctx) {
                accepted.complete(ctx.getConnection());
                return ctx.getStopAction();
            }
        }).build());
        transport.getConnectionMonitoringConfig().addProbes(new ConnectionProbe.Adapter() {
            @Override
            public void onWriteEvent(Connection connection, Buffer data, long size) {
                writes.add((int) size);
            }
        });
        int port = transport.bind("127.0.0.1", 0).getLocalAddress() instanceof InetSocketAddress a ? a.getPort() : -1;
        transport.start();
        client = new Socket("127.0.0.1", port);
        client.setSoTimeout(5_000);
        Scheduler none = (task, delay) -> Scheduler.Cancellable.NONE;
        socket = new GrizzlyWebSocket(accepted.get(5, TimeUnit.SECONDS), none, 1 << 20, true);
    }

    @AfterEach
    void close() throws IOException {
        client.close();
        transport.shutdownNow();
    }

    @Test
    void framesWrittenDuringOneReadLeaveAsOneWriteInOrder() throws Exception {
        AtomicInteger written = new AtomicInteger();
        WriteBatch.around(() -> {
            socket.sendText('4', "2[\"a\"]", written::incrementAndGet);
            socket.sendText('4', "2[\"b\"]", written::incrementAndGet);
            assertThat(writes).as("nothing leaves before the read's end").isEmpty();
            // another thread's frame for a connection that holds frames waits behind them
            Thread other = new Thread(() -> socket.sendText('4', "2[\"c\"]", written::incrementAndGet));
            other.start();
            join(other);
            assertThat(written).hasValue(0);
        });

        assertThat(readTexts(3)).containsExactly("42[\"a\"]", "42[\"b\"]", "42[\"c\"]");
        awaitWrites(1);
        assertThat(writes).as("one write of the three frames").containsExactly(3 * (2 + 7));
        assertThat(written).hasValue(3);
    }

    @Test
    void outsideABatchEachFrameLeavesAtOnce() throws Exception {
        socket.sendText('4', "2[\"a\"]", null);
        socket.sendText('4', "2[\"b\"]", null);
        assertThat(readTexts(2)).containsExactly("42[\"a\"]", "42[\"b\"]");
        awaitWrites(2);
        assertThat(writes).hasSize(2);
    }

    @Test
    void aCloseDuringTheReadWritesWhatIsHeldThenTheCloseFrame() throws Exception {
        WriteBatch.around(() -> {
            socket.sendText('4', "2[\"a\"]", null);
            socket.close(1000, "");
            socket.sendText('4', "2[\"late\"]", null); // after the close frame: never sent
        });
        byte[] all = client.getInputStream().readAllBytes(); // the server closes the connection
        assertThat(all).hasSize(9 + 4);
        assertThat(new String(all, 2, 7, StandardCharsets.UTF_8)).isEqualTo("42[\"a\"]");
        assertThat(all[9] & 0xFF).as("close frame").isEqualTo(0x88);
    }

    @Test
    void overTheBoundHeldFramesLeaveBeforeTheReadEnds() throws Exception {
        String body = "x".repeat(32_800); // two frames pass the bound, one does not
        int frame = 4 + 1 + body.length();
        WriteBatch.around(() -> {
            socket.sendText('4', body, null);
            assertThat(writes).isEmpty();
            socket.sendText('4', body, null);
            // the transport may write a large buffer in parts; its first write is made here, before the read ends
            assertThat(writes).as("released at %s bytes", HeldFrames.FLUSH_BYTES).isNotEmpty();
            socket.sendText('4', "2", null);
        });
        assertThat(readTexts(3)).containsExactly("4" + body, "4" + body, "42");
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (writtenBytes() < 2 * frame + 4 && System.nanoTime() < end) {
            Thread.sleep(5);
        }
        assertThat(writtenBytes()).isEqualTo(2 * frame + 4);
    }

    @Test
    void nestedReadsJoinTheOpenBatchAndAFailingHolderDoesNotStopTheOthers() throws Exception {
        List<String> released = new ArrayList<>();
        WriteBatch.around(() -> {
            WriteBatch.current().hold(() -> {
                throw new IllegalStateException("broken");
            });
            WriteBatch.around(() -> socket.sendText('4', "1", null));
            WriteBatch.current().hold(() -> released.add("second"));
            assertThat(writes).isEmpty();
        });
        assertThat(WriteBatch.current()).isNull();
        assertThat(released).containsExactly("second");
        assertThat(readTexts(1)).containsExactly("41");
    }

    /** Reads n unmasked text frames of under 64 KiB as a client would. */
    private List<String> readTexts(int n) throws IOException {
        InputStream in = client.getInputStream();
        List<String> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            assertThat(in.read()).isEqualTo(0x81);
            int len = in.read();
            if (len == 126) {
                len = (in.read() << 8) | in.read();
            }
            out.add(new String(in.readNBytes(len), StandardCharsets.UTF_8));
        }
        return out;
    }

    /** The probe hears of a write just after the bytes left, so the client may read them first. */
    private void awaitWrites(int n) throws InterruptedException {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (writes.size() < n && System.nanoTime() < end) {
            Thread.sleep(5);
        }
        Thread.sleep(50); // and no more than n
    }

    private int writtenBytes() {
        return writes.stream().mapToInt(Integer::intValue).sum();
    }

    private static void join(Thread t) {
        try {
            t.join(5_000);
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
    }
}
