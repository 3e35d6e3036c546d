package dev.switchboard.chat.infrastructure.realtime;

import org.junit.jupiter.api.Test;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

class RoomPresenceTest {
    private final RoomPresence presence = new RoomPresence();

    @Test
    void twoTabsAreOnePresence() {
        assertThat(presence.enter("general", "alice")).isTrue();
        assertThat(presence.enter("general", "alice")).isFalse();
        assertThat(presence.users("general")).containsExactly("alice");
        assertThat(presence.exit("general", "alice")).isFalse();
        assertThat(presence.users("general")).containsExactly("alice");
        assertThat(presence.exit("general", "alice")).isTrue();
        assertThat(presence.users("general")).isEmpty();
        assertThat(presence.exit("general", "alice")).isFalse();
    }

    @Test
    void concurrentEntriesAndExitsBalance() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(4);
        for (int i = 0; i < 4000; i++) {
            String user = "u" + (i % 7);
            pool.submit(() -> {
                presence.enter("r", user);
                presence.exit("r", user);
            });
        }
        pool.shutdown();
        assertThat(pool.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
        assertThat(presence.users("r")).isEmpty();
    }
}
