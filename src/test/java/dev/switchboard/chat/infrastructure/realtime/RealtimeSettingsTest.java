package dev.switchboard.chat.infrastructure.realtime;

import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RealtimeSettingsTest {
    private static RealtimeSettings of(Map<String, String> values) {
        return RealtimeSettings.from(key -> Optional.ofNullable(values.get(key)));
    }

    @Test
    void theRateLimitCountsPerSocketUnlessToldToCountPerUser() {
        assertThat(of(Map.of()).rateScope()).isEqualTo(RealtimeSettings.RateScope.SOCKET);
        assertThat(of(Map.of("switchboard.chat.rate-limit.scope", " User ")).rateScope())
                .isEqualTo(RealtimeSettings.RateScope.USER);
        assertThatThrownBy(() -> of(Map.of("switchboard.chat.rate-limit.scope", "node")))
                .hasMessageContaining("switchboard.chat.rate-limit.scope");
    }
}
