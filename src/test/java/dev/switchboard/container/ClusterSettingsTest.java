package dev.switchboard.container;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ClusterSettingsTest {

    private static ClusterSettings read(Map<String, String> values) {
        return ClusterSettings.from(key -> Optional.ofNullable(values.get(key)));
    }

    @Test
    void defaultsToMemory() {
        ClusterSettings s = read(Map.of());
        assertThat(s.adapter()).isEqualTo(ClusterSettings.Kind.MEMORY);
        assertThat(s.redisUrl().toString()).isEqualTo("redis://localhost:6379");
        assertThat(s.options().keyPrefix()).isEqualTo("socket.io");
        assertThat(s.options().requestTimeoutMillis()).isEqualTo(5_000);
    }

    @Test
    void readsRedisSettingsAndHidesThePassword() {
        ClusterSettings s = read(Map.of("switchboard.adapter", "Redis",
                "switchboard.redis.url", "rediss://:secret@cache.example:6380/0",
                "switchboard.redis.key-prefix", "chat", "switchboard.redis.request-timeout", "2500"));
        assertThat(s.adapter()).isEqualTo(ClusterSettings.Kind.REDIS);
        assertThat(s.redisUrl().getPort()).isEqualTo(6380);
        assertThat(s.options().keyPrefix()).isEqualTo("chat");
        assertThat(s.options().requestTimeoutMillis()).isEqualTo(2500);
        assertThat(s.toString()).doesNotContain("secret");
    }

    @Test
    void badValuesNameTheirKey() {
        assertThatThrownBy(() -> read(Map.of("switchboard.adapter", "hazelcast")))
                .hasMessageStartingWith("switchboard.adapter:");
        assertThatThrownBy(() -> read(Map.of("switchboard.redis.url", "http://x:1")))
                .hasMessageStartingWith("switchboard.redis.url:");
        assertThatThrownBy(() -> read(Map.of("switchboard.redis.key-prefix", "a#b")))
                .hasMessageStartingWith("switchboard.redis.key-prefix:");
        assertThatThrownBy(() -> read(Map.of("switchboard.redis.request-timeout", "0")))
                .hasMessageStartingWith("switchboard.redis.request-timeout:");
    }
}
