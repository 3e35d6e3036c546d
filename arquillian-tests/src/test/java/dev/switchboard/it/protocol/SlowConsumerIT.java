package dev.switchboard.it.protocol;

import dev.switchboard.it.Deployments;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Slow consumers (switchboard.send-queue.*; the interop profile bounds each session to 500 packets and 2,000,000
 * bytes): a client in a flooded room that stops taking its data is disconnected and counted, while a normal client in
 * the same room receives every message and the server goes on serving.
 *
 * <p>Over WebSocket the slow client is a raw TCP socket with a hand-made upgrade and a small receive buffer that stops
 * reading once it has joined the room (it keeps writing blind pongs, so only the send-queue bound, never the 1500/1000
 * ms heartbeat, can end it). Over polling it never sends another GET after joining, and posts blind pongs.
 */
@EnabledIfSystemProperty(named = "switchboard.itProperties", matches = ".*interop\\.properties",
        disabledReason = "needs the interop test application and its small send-queue bound (failsafe's protocol "
                + "execution); -Dit.test selects this class in every execution")
@ExtendWith(ArquillianExtension.class)
class SlowConsumerIT {
    /** Generous for a loaded 2-core machine. */
    private static final long DISCONNECT_WITHIN_MILLIS = 30_000;
    private static final String EIO_WS = "/socket.io/?EIO=4&transport=websocket";

    @Deployment(testable = false)
    static WebArchive war() {
        return Deployments.builtWar();
    }

    @ArquillianResource
    URL base;

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private final List<AutoCloseable> opened = new ArrayList<>();

    @AfterEach
    void closeAll() throws Exception {
        for (AutoCloseable c : opened) {
            c.close();
        }
        opened.clear();
    }

    @Test
    void aWebSocketClientThatStopsReadingIsDisconnectedWhileTheRoomGetsEverything() throws Exception {
        String room = "flood-ws-" + ThreadLocalRandom.current().nextInt(1_000_000);
        double slowBefore = metric("engineio_slow_consumer_disconnects_total{transport=\"websocket\"}");
        MalformedPacketsIT.RawSio receiver = sioClient();
        MalformedPacketsIT.RawSio sender = sioClient();
        join(receiver, room);
        StalledClient slow = new StalledClient(URI.create(base.toString()));
        opened.add(slow);
        slow.joinThenStopReading(room);
        double sessionsWithSlow = metric("engineio_sessions_open");

        // Messages of 20,000 characters until the slow client is dropped: the container and the kernel buffer
        // several MB of a stalled connection (the writes complete) before the engine's 2 MB bound starts to fill.
        String filler = "x".repeat(20_000);
        long start = System.nanoTime();
        int count = flood(sender, room, filler, 5_000,
                () -> metricQuietly("engineio_slow_consumer_disconnects_total{transport=\"websocket\"}") > slowBefore);
        long tookMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        System.out.printf("slow websocket consumer disconnected after %d messages (%d MB), %d ms%n", count,
                count * 20_000L / 1_000_000, tookMillis);
        assertThat(metric("engineio_slow_consumer_disconnects_total{transport=\"websocket\"}"))
                .as("the slow WebSocket client is disconnected and counted").isGreaterThan(slowBefore);
        assertThat(tookMillis).isLessThan(DISCONNECT_WITHIN_MILLIS * 4);

        awaitTrue(() -> roomMessages(receiver) >= count, 60_000, "the normal client gets every message");
        assertThat(roomMessages(receiver)).isEqualTo(count);
        assertThat(metric("engineio_sessions_open")).isLessThan(sessionsWithSlow);
        assertThat(metric("engineio_packets_dropped_total{reason=\"slow_consumer\"}")).isPositive();
        assertThat(metric("socketio_disconnects_total{namespace=\"/interop\",reason=\"slow consumer\"}")).isPositive();
        // Reading again, the raw client finds the connection over: a close frame (1008) after what was already in
        // the network buffers, or the connection dropped.
        assertThat(slow.readUntilClosed(20_000)).isIn(1008, StalledClient.EOF, StalledClient.RESET);
        assertServerServes(sender);
    }

    @Test
    void aPollingClientThatNeverPollsIsBoundedThenClosed() throws Exception {
        String room = "flood-poll-" + ThreadLocalRandom.current().nextInt(1_000_000);
        double slowBefore = metric("engineio_slow_consumer_disconnects_total{transport=\"polling\"}");
        MalformedPacketsIT.RawSio receiver = sioClient();
        MalformedPacketsIT.RawSio sender = sioClient();
        join(receiver, room);

        EioTestClient poller = new EioTestClient(base, "/socket.io/");
        String sid = poller.handshake();
        String q = "EIO=4&transport=polling&sid=" + sid;
        assertThat(poller.post(q, "40/interop,").statusCode()).isEqualTo(200);
        pollUntil(poller, q, "40/interop,");
        assertThat(poller.post(q, "42/interop,1[\"join\",\"" + room + "\"]").statusCode()).isEqualTo(200);
        pollUntil(poller, q, "43/interop,1");
        BlindPonger ponger = new BlindPonger(() -> poller.post(q, "3"));
        opened.add(ponger);

        // 600 small messages: over the 500-packet bound of a client that never polls.
        int count = flood(sender, room, "", 600, () -> false);
        awaitTrue(() -> metricQuietly("engineio_slow_consumer_disconnects_total{transport=\"polling\"}")
                > slowBefore, DISCONNECT_WITHIN_MILLIS, "the polling client that never polls is closed and counted");
        HttpResponse<String> late = poller.get(q);
        assertThat(late.statusCode()).as(late.body()).isEqualTo(400);
        assertThat(late.body()).contains("\"code\":1");
        awaitTrue(() -> roomMessages(receiver) >= count, 60_000, "the normal client gets every message");
        assertThat(roomMessages(receiver)).isEqualTo(count);
        assertServerServes(sender);
    }

    // ---- helpers ----

    private MalformedPacketsIT.RawSio sioClient() throws Exception {
        MalformedPacketsIT.RawSio c = new MalformedPacketsIT.RawSio();
        c.socket = http.newWebSocketBuilder().connectTimeout(Duration.ofSeconds(5))
                .buildAsync(URI.create(root().replaceFirst("^http", "ws") + EIO_WS), c).get(10, TimeUnit.SECONDS);
        opened.add(c::abort);
        assertThat(c.nextText()).startsWith("0{\"sid\":");
        c.send("40/interop,");
        while (!c.nextText().startsWith("40/interop,")) {
            // skip anything the application sends first
        }
        return c;
    }

    private static void join(MalformedPacketsIT.RawSio c, String room) throws Exception {
        c.send("42/interop,7[\"join\",\"" + room + "\"]");
        while (!c.nextText().startsWith("43/interop,7")) {
            // skip
        }
    }

    /**
     * Sends to-room requests one at a time, each waiting for its acknowledgement (so the sender never outruns the
     * server, and its own pongs are not stuck behind its flood), until done says so (checked every 50) or max are
     * sent; returns how many were sent.
     */
    private static int flood(MalformedPacketsIT.RawSio sender, String room, String filler, int max,
                             BooleanSupplier done) throws Exception {
        int sent = 0;
        while (sent < max) {
            sender.send("42/interop,5[\"to-room\",\"" + room + "\"," + sent + ",\"" + filler + "\"]");
            while (!sender.nextText().startsWith("43/interop,5")) {
                // skip
            }
            sent++;
            if (sent % 50 == 0 && done.getAsBoolean()) {
                break;
            }
        }
        return sent;
    }

    private static long roomMessages(MalformedPacketsIT.RawSio c) {
        return c.texts.stream().filter(t -> t.startsWith("42/interop,[\"room-message\",")).count();
    }

    /** The server still answers: an acknowledged request on an old connection, and a fresh handshake. */
    private void assertServerServes(MalformedPacketsIT.RawSio old) throws Exception {
        old.send("42/interop,9[\"ack\",\"still there\"]");
        String reply;
        do {
            reply = old.nextText();
        } while (!reply.startsWith("43/interop,9"));
        assertThat(reply).isEqualTo("43/interop,9[\"still there\"]");
        assertThat(get("/socket.io/?EIO=4&transport=polling").statusCode()).isEqualTo(200);
    }

    private static String pollUntil(EioTestClient c, String q, String marker) throws Exception {
        StringBuilder seen = new StringBuilder();
        long deadline = System.currentTimeMillis() + 10_000;
        while (System.currentTimeMillis() < deadline) {
            HttpResponse<String> r = c.get(q);
            assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
            seen.append(r.body()).append('\u001e');
            if (r.body().contains(marker)) {
                return seen.toString();
            }
        }
        throw new AssertionError("no " + marker + " within 10 s: " + seen);
    }

    private static void awaitTrue(BooleanSupplier condition, long millis, String what) throws InterruptedException {
        long deadline = System.currentTimeMillis() + millis;
        while (!condition.getAsBoolean()) {
            if (System.currentTimeMillis() > deadline) {
                throw new AssertionError("not within " + millis + " ms: " + what);
            }
            Thread.sleep(100);
        }
    }

    private double metricQuietly(String series) {
        try {
            return metric(series);
        } catch (Exception e) {
            return Double.NaN;
        }
    }

    private double metric(String series) throws Exception {
        HttpResponse<String> r = get("/metrics");
        assertThat(r.statusCode()).isEqualTo(200);
        for (String line : r.body().split("\n")) {
            if (line.startsWith(series + " ")) {
                return Double.parseDouble(line.substring(series.length() + 1).trim());
            }
        }
        return 0;
    }

    private HttpResponse<String> get(String pathAndQuery) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(root() + pathAndQuery)).timeout(Duration.ofSeconds(10))
                .GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    private String root() {
        return base.toString().replaceAll("/+$", "");
    }

    /** Sends something every 400 ms until closed (blind pongs: 1500 ms ping interval, 1000 ms timeout). */
    private static final class BlindPonger implements AutoCloseable {
        interface Action {
            void run() throws Exception;
        }

        private final Thread thread;
        private volatile boolean stop;

        BlindPonger(Action pong) {
            thread = new Thread(() -> {
                while (!stop) {
                    try {
                        pong.run();
                        Thread.sleep(400);
                    } catch (InterruptedException e) {
                        return;
                    } catch (Exception e) {
                        return; // the connection is gone: nothing more to answer
                    }
                }
            }, "blind-ponger");
            thread.setDaemon(true);
            thread.start();
        }

        @Override
        public void close() throws InterruptedException {
            stop = true;
            thread.interrupt();
            thread.join(2_000);
        }
    }

    /**
     * A raw TCP WebSocket client with a small receive buffer: upgrades by hand, joins a room in /interop, then reads
     * nothing more (until {@link #readUntilClosed}) and writes a masked "3" (pong) every 400 ms.
     */
    static final class StalledClient implements AutoCloseable {
        static final int EOF = -1;
        static final int RESET = -2;

        private final Socket socket = new Socket();
        private final DataInputStream in;
        private final OutputStream out;
        private BlindPonger ponger;

        StalledClient(URI server) throws IOException {
            socket.setReceiveBufferSize(4096);
            socket.connect(new InetSocketAddress(server.getHost(), server.getPort()), 5_000);
            socket.setSoTimeout(10_000);
            in = new DataInputStream(socket.getInputStream());
            out = socket.getOutputStream();
            String path = server.getPath().replaceAll("/+$", "") + EIO_WS;
            out.write(("GET " + path + " HTTP/1.1\r\nHost: " + server.getHost() + ":" + server.getPort()
                    + "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                    + "Sec-WebSocket-Version: 13\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            String head = readHead(in);
            if (!head.startsWith("HTTP/1.1 101")) {
                throw new AssertionError("upgrade refused: " + head);
            }
        }

        void joinThenStopReading(String room) throws IOException {
            assertThat(nextText()).startsWith("0{\"sid\":");
            sendText("40/interop,");
            while (!nextText().startsWith("40/interop,")) {
                // skip
            }
            sendText("42/interop,1[\"join\",\"" + room + "\"]");
            while (!nextText().startsWith("43/interop,1")) {
                // skip
            }
            ponger = new BlindPonger(() -> sendText("3"));
        }

        /** Reads (and throws away) until the connection ends: the close code, {@link #EOF} or {@link #RESET}. */
        int readUntilClosed(long millis) throws IOException {
            long deadline = System.currentTimeMillis() + millis;
            socket.setSoTimeout(1_000);
            while (System.currentTimeMillis() < deadline) {
                try {
                    Frame f = readFrame();
                    if (f.opcode() == 8) {
                        return f.payload().length >= 2 ? ((f.payload()[0] & 0xFF) << 8) | (f.payload()[1] & 0xFF) : 1005;
                    }
                } catch (SocketTimeoutException e) {
                    // keep waiting
                } catch (EOFException e) {
                    return EOF;
                } catch (IOException e) {
                    return RESET;
                }
            }
            throw new AssertionError("the connection was still open after " + millis + " ms");
        }

        private String nextText() throws IOException {
            while (true) {
                Frame f = readFrame();
                if (f.opcode() == 1) {
                    String t = new String(f.payload(), StandardCharsets.UTF_8);
                    if ("2".equals(t)) {
                        sendText("3");
                        continue;
                    }
                    return t;
                }
                if (f.opcode() == 8) {
                    throw new AssertionError("closed by the server during setup");
                }
            }
        }

        private record Frame(int opcode, byte[] payload) { }

        private Frame readFrame() throws IOException {
            int b0 = in.readUnsignedByte();
            int b1 = in.readUnsignedByte();
            long len = b1 & 0x7F;
            if (len == 126) {
                len = in.readUnsignedShort();
            } else if (len == 127) {
                len = in.readLong();
            }
            byte[] payload = new byte[(int) len];
            in.readFully(payload);
            return new Frame(b0 & 0x0F, payload);
        }

        synchronized void sendText(String text) throws IOException {
            byte[] data = text.getBytes(StandardCharsets.UTF_8);
            byte[] mask = new byte[4];
            ThreadLocalRandom.current().nextBytes(mask);
            java.io.ByteArrayOutputStream frame = new java.io.ByteArrayOutputStream(data.length + 14);
            frame.write(0x81);
            if (data.length < 126) {
                frame.write(0x80 | data.length);
            } else {
                frame.write(0x80 | 126);
                frame.write(data.length >>> 8);
                frame.write(data.length & 0xFF);
            }
            frame.write(mask);
            for (int i = 0; i < data.length; i++) {
                frame.write(data[i] ^ mask[i & 3]);
            }
            out.write(frame.toByteArray());
            out.flush();
        }

        private static String readHead(InputStream in) throws IOException {
            StringBuilder head = new StringBuilder();
            while (!head.toString().endsWith("\r\n\r\n")) {
                int c = in.read();
                if (c < 0) {
                    throw new EOFException("connection closed during the upgrade: " + head);
                }
                head.append((char) c);
            }
            return head.toString();
        }

        @Override
        public void close() throws Exception {
            if (ponger != null) {
                ponger.close();
            }
            socket.close();
        }
    }
}
