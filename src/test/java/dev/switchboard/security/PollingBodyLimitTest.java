package dev.switchboard.security;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.engineio.CloseReason;
import dev.switchboard.engineio.EngineHarness;
import dev.switchboard.engineio.FakePollExchange;
import dev.switchboard.engineio.transport.HttpReply;
import dev.switchboard.engineio.transport.HttpRequestInfo;
import dev.switchboard.engineio.transport.PollExchange;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * CVE-2020-36048 (engine.io &lt; 4.0.0): a huge polling POST body was buffered whole before any size check, so one
 * request could exhaust the server's memory. Here the engine asks the transport for at most maxPayload bytes (the
 * port's contract: it refuses more without buffering it), answers 413 with Connection: close and ends the session.
 */
@DisplayName("CVE-2020-36048: polling body over maxPayload is refused unbuffered and closes the session")
class PollingBodyLimitTest {

    private static final int MAX = 100;

    private final EngineHarness h = new EngineHarness(EngineHarness.testOptions().withMaxPayload(MAX));

    @Test
    @DisplayName("CVE-2020-36048: a body one byte over maxPayload gets 413 and the session closes")
    void oversizedBodyIsRefusedAndTheSessionCloses() {
        String sid = h.handshake();
        FakePollExchange held = h.get(sid);

        FakePollExchange post = h.post(sid, "4" + "x".repeat(MAX)); // MAX + 1 bytes

        assertThat(post.status()).isEqualTo(413);
        assertThat(post.reply().headers()).containsEntry("Connection", "close");
        assertThat(post.bodyReads).as("read once, through the bounded readBody").isEqualTo(1);
        assertThat(h.listener().events).as("nothing of the body reached the application")
                .containsExactly("close:" + CloseReason.TRANSPORT_ERROR);
        assertThat(held.bodyText()).as("the held GET learns of the close").endsWith("1");
        assertThat(h.server.sessionCount()).isZero();
        assertThat(h.get(sid).status()).as("the sid is gone").isEqualTo(400);
        assertThat(h.scheduler.pendingTasks()).isZero();
    }

    @Test
    @DisplayName("CVE-2020-36048: the engine passes maxPayload to readBody, so the transport never buffers more")
    void theLimitIsHandedToTheTransportBeforeReading() {
        String sid = h.handshake();
        BoundedBody huge = new BoundedBody(sid, 50_000_000);

        h.server.handlePolling(huge);

        // a server that read the whole body (readBody(Integer.MAX_VALUE)) and checked afterwards fails here
        assertThat(huge.limits).containsExactly(MAX);
        assertThat(huge.replies).singleElement().extracting(HttpReply::status).isEqualTo(413);
        assertThat(h.server.sessionCount()).isZero();
    }

    @Test
    @DisplayName("CVE-2020-36048: a body of exactly maxPayload bytes is still accepted")
    void aBodyAtTheLimitPasses() {
        String sid = h.handshake();
        FakePollExchange post = h.post(sid, "4" + "x".repeat(MAX - 1));
        assertThat(post.status()).isEqualTo(200);
        assertThat(h.listener().events).containsExactly("text:" + "x".repeat(MAX - 1));
        assertThat(h.server.sessionCount()).isOne();
    }

    /** A POST whose body is never materialised: it only records the limit it was read with. */
    private static final class BoundedBody implements PollExchange {
        private final HttpRequestInfo request;
        private final long declaredLength;
        final List<Integer> limits = new ArrayList<>();
        final List<HttpReply> replies = new ArrayList<>();

        BoundedBody(String sid, long declaredLength) {
            this.request = EngineHarness.request("POST", "EIO=4&transport=polling&sid=" + sid, Map.of());
            this.declaredLength = declaredLength;
        }

        @Override
        public HttpRequestInfo request() {
            return request;
        }

        @Override
        public byte[] readBody(int maxBytes) throws PayloadTooLargeException {
            limits.add(maxBytes);
            if (declaredLength > maxBytes) {
                throw new PayloadTooLargeException();
            }
            return "4x".getBytes(StandardCharsets.UTF_8);
        }

        @Override
        public void reply(HttpReply reply) {
            replies.add(reply);
        }

        @Override
        public void onAbort(Runnable callback) {
        }
    }
}
