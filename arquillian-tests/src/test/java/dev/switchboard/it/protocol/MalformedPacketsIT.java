package dev.switchboard.it.protocol;

import dev.switchboard.it.Deployments;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every rejection rule of the Socket.IO packet parser, provoked with raw Engine.IO frames against the deployed WAR
 * (interop profile: heartbeat 1500/1000 ms, maxHttpBufferSize 100000, at most 10 attachments). A rejected packet must
 * close that connection at once: well before the heartbeat would (pingInterval + pingTimeout = 2.5 s; the raw
 * clients here answer pings, so the heartbeat never closes them), and a client already connected to the same
 * server must still be served afterwards.
 *
 * <p>Frames are written as on the wire: the Engine.IO type "4" (message) followed by the Socket.IO packet, so
 * {@code 42["x"]} is an EVENT and {@code 451-[...]} a BINARY_EVENT with one attachment.
 */
@EnabledIfSystemProperty(named = "switchboard.itProperties", matches = ".*interop\\.properties",
        disabledReason = "needs the interop test application (failsafe's protocol execution); -Dit.test selects this "
                + "class in every execution")
@ExtendWith(ArquillianExtension.class)
class MalformedPacketsIT {
    /** Far below the 2.5 s a heartbeat close would take. */
    private static final long CLOSE_WITHIN_MILLIS = 1500;
    private static final int MAX_PAYLOAD = 100_000;
    private static final String PLACEHOLDER_0 = "{\"_placeholder\":true,\"num\":0}";
    private static final AtomicInteger SEQ = new AtomicInteger();

    @Deployment(testable = false)
    static WebArchive war() {
        return Deployments.builtWar();
    }

    @ArquillianResource
    URL base;

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private final List<RawSio> opened = new ArrayList<>();
    /** The bystander: connected to "/" before the bad client shows up. */
    private RawSio other;

    @BeforeEach
    void connectBystander() throws Exception {
        other = connected("/");
    }

    @AfterEach
    void closeAll() {
        opened.forEach(RawSio::abort);
        opened.clear();
    }

    // ---- the packet type ----

    @Test
    void unknownPacketTypeAfterConnect() throws Exception {
        assertRejected(connected("/"), "4abc");
    }

    @Test
    void unknownPacketTypeAsTheFirstPacket() throws Exception {
        assertRejected(opened(), "4abc");
    }

    @Test
    void packetTypeDigitOutOfRange() throws Exception {
        assertRejected(connected("/"), "47[\"message\",1]");
    }

    @Test
    void emptySocketIoPacket() throws Exception {
        assertRejected(connected("/"), "4");
    }

    // ---- event payload and name ----

    @Test
    void eventPayloadThatIsNotAnArray() throws Exception {
        assertRejected(connected("/"), "42{}");
    }

    @Test
    void eventWithAnEmptyArray() throws Exception {
        assertRejected(connected("/"), "42[]");
    }

    @Test
    void eventNameThatIsNotAString() throws Exception {
        assertRejected(connected("/"), "42[1,\"x\"]");
    }

    @ParameterizedTest
    @ValueSource(strings = {"disconnect", "connect", "connect_error", "disconnecting", "newListener", "removeListener"})
    void reservedEventName(String name) throws Exception {
        assertRejected(connected("/"), "42[\"" + name + "\"]");
    }

    // ---- ack id ----

    @Test
    void junkInTheAckId() throws Exception {
        assertRejected(connected("/"), "42abc[\"message-with-ack\",1]");
    }

    @Test
    void ackIdThatDoesNotFitInALong() throws Exception {
        assertRejected(connected("/"), "4299999999999999999999[\"message-with-ack\",1]");
    }

    @Test
    void ackPacketWithoutAnId() throws Exception {
        assertRejected(connected("/"), "43[\"x\"]");
    }

    // ---- JSON ----

    @Test
    void invalidJson() throws Exception {
        assertRejected(connected("/"), "42[\"message\",");
    }

    @Test
    void trailingGarbageAfterTheJson() throws Exception {
        assertRejected(connected("/"), "42[\"message\",1]x");
    }

    // ---- CONNECT / DISCONNECT payloads ----

    @Test
    void connectWithANonObjectPayloadAsTheFirstPacket() throws Exception {
        assertRejected(opened(), "40\"x\"");
    }

    @Test
    void connectToASecondNamespaceWithANonObjectPayload() throws Exception {
        assertRejected(connected("/"), "40/custom,[1]");
    }

    @Test
    void disconnectWithAPayload() throws Exception {
        assertRejected(connected("/"), "41{\"a\":1}");
    }

    // ---- binary attachments ----

    @Test
    void placeholderWithANonIntegerNum() throws Exception {
        assertRejected(connected("/"), "451-[\"message\",{\"_placeholder\":true,\"num\":\"splice\"}]");
    }

    @Test
    void placeholderWithAFractionalNum() throws Exception {
        assertRejected(connected("/"), "451-[\"message\",{\"_placeholder\":true,\"num\":0.5}]");
    }

    @Test
    void placeholderNumBeyondTheAttachmentCount() throws Exception {
        assertRejected(connected("/"), "451-[\"message\",{\"_placeholder\":true,\"num\":5}]");
    }

    @Test
    void placeholderWithANegativeNum() throws Exception {
        assertRejected(connected("/"), "451-[\"message\",{\"_placeholder\":true,\"num\":-1}]");
    }

    @Test
    void moreAttachmentsThanTheCap() throws Exception {
        assertRejected(connected("/"), "4511-[\"message\"," + PLACEHOLDER_0 + "]");
    }

    @Test
    void hugeDeclaredAttachmentCount() throws Exception {
        assertRejected(connected("/"), "4599999999-[\"message\"," + PLACEHOLDER_0 + "]");
    }

    @Test
    void attachmentCountOverflowingAnInt() throws Exception {
        assertRejected(connected("/"), "4599999999999999999999-[\"message\"," + PLACEHOLDER_0 + "]");
    }

    @Test
    void binaryPacketDeclaringZeroAttachments() throws Exception {
        assertRejected(connected("/"), "450-[\"message\",1]");
    }

    @Test
    void binaryPacketWithoutTheDashAfterTheCount() throws Exception {
        assertRejected(connected("/"), "451[\"message\"," + PLACEHOLDER_0 + "]");
    }

    @Test
    void attachmentsTotallingMoreThanMaxHttpBufferSize() throws Exception {
        RawSio bad = connected("/");
        bad.send("452-[\"message\"," + PLACEHOLDER_0 + ",{\"_placeholder\":true,\"num\":1}]");
        // Each frame is under the per-message cap; together they are over it.
        bad.send(new byte[MAX_PAYLOAD * 6 / 10]);
        assertRejected(bad, new byte[MAX_PAYLOAD * 6 / 10]);
    }

    @Test
    void binaryFrameWhenNoneIsExpected() throws Exception {
        assertRejected(connected("/"), new byte[]{1, 2, 3});
    }

    @Test
    void binaryFrameAsTheFirstPacket() throws Exception {
        assertRejected(opened(), new byte[]{1, 2, 3});
    }

    @Test
    void textFrameWhileAttachmentsAreStillMissing() throws Exception {
        RawSio bad = connected("/");
        bad.send("452-[\"message\"," + PLACEHOLDER_0 + ",{\"_placeholder\":true,\"num\":1}]");
        bad.send(new byte[]{1});
        assertRejected(bad, "42[\"message\",1]");
    }

    // ---- the control: valid packets, including binary ones, keep the connection open ----

    @Test
    void validPacketsAreServedAndKeepTheConnectionOpen() throws Exception {
        RawSio good = connected("/");
        good.send("42[\"message\",{\"a\":[1,true,null]},\"x\"]");
        assertEvent(good.nextText(), "42[\"message-back\",{\"a\":[1,true,null]},\"x\"]");
        good.send("451-12[\"message-with-ack\"," + PLACEHOLDER_0 + "]");
        good.send(new byte[]{4, 5, 6});
        assertThat(good.nextText()).isEqualTo("461-12[" + PLACEHOLDER_0 + "]");
        assertThat(good.nextBinary()).containsExactly(4, 5, 6);
        good.send("451-[\"message\"," + PLACEHOLDER_0 + "]");
        good.send(new byte[MAX_PAYLOAD - 10]);
        assertEvent(good.nextText(), "451-[\"message-back\"," + PLACEHOLDER_0 + "]");
        assertThat(good.nextBinary()).hasSize(MAX_PAYLOAD - 10);
        assertThat(good.closed.completeOnTimeout(-2, CLOSE_WITHIN_MILLIS, TimeUnit.MILLISECONDS).get())
                .as("a valid client must not be closed").isEqualTo(-2);
        assertBystanderServed();
    }

    // ---- polling ----

    @Test
    void badPacketOverPollingClosesTheSession() throws Exception {
        EioTestClient c = new EioTestClient(base, "/socket.io/");
        String q = pollingConnected(c);
        assertThat(c.post(q, "42{}").statusCode()).isEqualTo(200);
        assertThat(c.get(q).statusCode()).isEqualTo(400);
        assertBystanderServed();
    }

    @Test
    void badPacketOverPollingAnswersTheHeldGetWithClose() throws Exception {
        EioTestClient c = new EioTestClient(base, "/socket.io/");
        String q = pollingConnected(c);
        CompletableFuture<HttpResponse<String>> held = c.getAsync(q);
        Thread.sleep(200);
        long start = System.nanoTime();
        c.post(q, "4599999999-[\"message\"," + PLACEHOLDER_0 + "]");
        HttpResponse<String> answer = held.get(5, TimeUnit.SECONDS);
        long took = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        assertThat(answer.body()).endsWith("1");
        assertThat(took).isLessThan(CLOSE_WITHIN_MILLIS);
        assertThat(c.get(q).statusCode()).isEqualTo(400);
        assertBystanderServed();
    }

    @Test
    void binaryAttachmentOverPollingWhenNoneIsExpected() throws Exception {
        EioTestClient c = new EioTestClient(base, "/socket.io/");
        String q = pollingConnected(c);
        c.post(q, "bAQID"); // a base64 binary message: an attachment nobody announced
        assertThat(c.get(q).statusCode()).isEqualTo(400);
        assertBystanderServed();
    }

    @Test
    void unknownTypeAsTheFirstPacketOverPolling() throws Exception {
        EioTestClient c = new EioTestClient(base, "/socket.io/");
        String sid = c.handshake();
        String q = "EIO=4&transport=polling&sid=" + sid;
        c.post(q, "4abc");
        assertThat(c.get(q).statusCode()).isEqualTo(400);
        assertBystanderServed();
    }

    // ---- helpers ----

    /** Sends the frame and asserts the server closes the connection promptly, then that the bystander is served. */
    private void assertRejected(RawSio bad, Object frame) throws Exception {
        long start = System.nanoTime();
        if (frame instanceof byte[] b) {
            bad.send(b);
        } else {
            bad.send((String) frame);
        }
        assertClosedPromptly(bad, start, frame);
        assertBystanderServed();
    }

    private static void assertClosedPromptly(RawSio bad, long start, Object frame) throws Exception {
        Integer code = bad.closed.completeOnTimeout(null, CLOSE_WITHIN_MILLIS + 500, TimeUnit.MILLISECONDS).get();
        long took = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        String what = frame instanceof byte[] b ? "binary frame of " + b.length + " bytes" : (String) frame;
        assertThat(code).as("the server must close the connection after %s", what).isNotNull();
        assertThat(took).as("close after %s took %d ms (a heartbeat close takes 2500)", what, took)
                .isLessThan(CLOSE_WITHIN_MILLIS);
        // Nothing but the close: no reply to the bad packet.
        assertThat(bad.textsAfterConnect()).as("frames after %s", what).isEmpty();
    }

    /**
     * An event frame as expected, give or take the offset the server appends to every event while connection state
     * recovery is on (as the reference server does): {@code 42["x",1]} may arrive as {@code 42["x",1,"<offset>"]}.
     */
    private static void assertEvent(String actual, String expected) {
        String head = expected.substring(0, expected.length() - 1);
        assertThat(actual).as("event frame").matches(java.util.regex.Pattern.quote(head) + "(,\"[A-Za-z0-9_-]+\")?\\]");
    }

    /** The client connected before the bad one still gets its message-back. */
    private void assertBystanderServed() throws Exception {
        String token = "still-here-" + SEQ.incrementAndGet();
        other.send("42[\"message\",\"" + token + "\"]");
        assertEvent(other.nextText(), "42[\"message-back\",\"" + token + "\"]");
    }

    /** An Engine.IO WebSocket session on /socket.io/ with the open packet read, no namespace joined. */
    private RawSio opened() throws Exception {
        String root = base.toString().replaceAll("/+$", "").replaceFirst("^http", "ws");
        RawSio ws = new RawSio();
        opened.add(ws);
        ws.socket = http.newWebSocketBuilder().connectTimeout(Duration.ofSeconds(5))
                .buildAsync(URI.create(root + "/socket.io/?EIO=4&transport=websocket"), ws).get(10, TimeUnit.SECONDS);
        assertThat(ws.nextText()).startsWith("0{\"sid\":");
        ws.connectedAt = ws.texts.size();
        return ws;
    }

    /** A session connected to the namespace, with the CONNECT reply and the auth event read. */
    private RawSio connected(String nsp) throws Exception {
        RawSio ws = opened();
        String prefix = "/".equals(nsp) ? "" : nsp + ",";
        ws.send("40" + prefix);
        assertThat(ws.nextText()).startsWith("40" + prefix + "{\"sid\":\"");
        assertEvent(ws.nextText(), "42" + prefix + "[\"auth\",{}]");
        ws.connectedAt = ws.texts.size();
        return ws;
    }

    /** A polling session connected to "/"; returns its query string. */
    private static String pollingConnected(EioTestClient c) throws Exception {
        String q = "EIO=4&transport=polling&sid=" + c.handshake();
        assertThat(c.post(q, "40").body()).isEqualTo("ok");
        String body = c.get(q).body();
        assertThat(body).startsWith("40{\"sid\":\"");
        if (!body.contains("[\"auth\"")) {
            assertEvent(c.get(q).body(), "42[\"auth\",{}]");
        }
        return q;
    }

    /**
     * A raw WebSocket Engine.IO client that answers pings by itself (so only the server's packet checks can close
     * it, never the heartbeat), and queues every other frame: text as String, binary as byte[].
     */
    static final class RawSio implements WebSocket.Listener {
        final LinkedBlockingQueue<Object> frames = new LinkedBlockingQueue<>();
        final List<String> texts = new java.util.concurrent.CopyOnWriteArrayList<>();
        final CompletableFuture<Integer> closed = new CompletableFuture<>();
        volatile WebSocket socket;
        volatile int connectedAt;
        private final StringBuilder text = new StringBuilder();
        private java.io.ByteArrayOutputStream binary = new java.io.ByteArrayOutputStream();

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            text.append(data);
            if (last) {
                String t = text.toString();
                text.setLength(0);
                if ("2".equals(t)) {
                    send("3");
                } else {
                    texts.add(t);
                    frames.add(t);
                }
            }
            webSocket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onBinary(WebSocket webSocket, ByteBuffer data, boolean last) {
            byte[] chunk = new byte[data.remaining()];
            data.get(chunk);
            binary.writeBytes(chunk);
            if (last) {
                frames.add(binary.toByteArray());
                binary = new java.io.ByteArrayOutputStream();
            }
            webSocket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
            closed.complete(statusCode);
            return null;
        }

        @Override
        public void onError(WebSocket webSocket, Throwable error) {
            closed.complete(-1);
        }

        synchronized void send(String frame) {
            try {
                socket.sendText(frame, true).get(5, TimeUnit.SECONDS);
            } catch (Exception e) {
                if (!closed.isDone()) {
                    throw new AssertionError("send failed: " + e, e);
                }
            }
        }

        synchronized void send(byte[] data) {
            try {
                socket.sendBinary(ByteBuffer.wrap(data), true).get(5, TimeUnit.SECONDS);
            } catch (Exception e) {
                if (!closed.isDone()) {
                    throw new AssertionError("send failed: " + e, e);
                }
            }
        }

        Object next() throws InterruptedException {
            Object f = frames.poll(5, TimeUnit.SECONDS);
            if (f == null) {
                throw new AssertionError("no frame within 5 s" + (closed.isDone() ? " (closed)" : ""));
            }
            return f;
        }

        String nextText() throws InterruptedException {
            Object f = next();
            assertThat(f).isInstanceOf(String.class);
            return (String) f;
        }

        byte[] nextBinary() throws InterruptedException {
            Object f = next();
            assertThat(f).isInstanceOf(byte[].class);
            return (byte[]) f;
        }

        /** Text frames (pings excepted) received since the namespace CONNECT was answered. */
        List<String> textsAfterConnect() {
            return texts.subList(Math.min(connectedAt, texts.size()), texts.size());
        }

        void abort() {
            if (socket != null) {
                socket.abort();
            }
        }
    }
}
