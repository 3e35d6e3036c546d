package dev.switchboard.container;

import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;

/** Two handshakes in flight at once on one endpoint: each session opens with its own headers, not the latest ones. */
class HandshakeHeadersTest {
    private final Map<String, Object> shared = new HashMap<>(); // the endpoint configuration's, one for all

    @Test
    void interleavedHandshakesEachOpenWithTheirOwnHeaders() throws Exception {
        CountDownLatch aCaptured = new CountDownLatch(1);
        CountDownLatch bCaptured = new CountDownLatch(1);
        AtomicReference<Map<String, List<String>>> aOpened = new AtomicReference<>();
        Thread a = Thread.ofPlatform().start(() -> {
            HandshakeHeaders.capture(shared, Map.of("origin", List.of("https://a.example")));
            aCaptured.countDown();
            await(bCaptured); // b's handshake overwrites the shared map before a's session opens
            aOpened.set(HandshakeHeaders.take(new HashMap<>(shared)));
        });
        await(aCaptured);
        HandshakeHeaders.capture(shared, Map.of("origin", List.of("https://b.example")));
        bCaptured.countDown();
        a.join(5_000);

        assertThat(aOpened.get()).containsEntry("origin", List.of("https://a.example"));
        assertThat(HandshakeHeaders.take(new HashMap<>(shared))).containsEntry("origin", List.of("https://b.example"));
    }

    @Test
    void aSessionOpenedOnAnotherThreadFallsBackToTheSharedProperties() throws Exception {
        HandshakeHeaders.capture(shared, Map.of("origin", List.of("https://a.example")));
        AtomicReference<Map<String, List<String>>> opened = new AtomicReference<>();
        Thread.ofPlatform().start(() -> opened.set(HandshakeHeaders.take(new HashMap<>(shared)))).join(5_000);
        assertThat(opened.get()).containsEntry("origin", List.of("https://a.example"));
        HandshakeHeaders.take(shared); // clears this thread's
    }

    private static void await(CountDownLatch latch) {
        try {
            assertThat(latch.await(5, TimeUnit.SECONDS)).isTrue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
