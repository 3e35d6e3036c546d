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

    @Test
    void handlerThreadsDefaultTo16AndRefuseGarbageNamingTheKey() {
        assertThat(of(Map.of()).handlerThreads()).isEqualTo(16);
        assertThat(of(Map.of("switchboard.chat.handler-threads", "4")).handlerThreads()).isEqualTo(4);
        for (String bad : new String[] {"0", "-3", "lots", "2000"}) {
            assertThatThrownBy(() -> of(Map.of("switchboard.chat.handler-threads", bad)))
                    .hasMessage("switchboard.chat.handler-threads: expected a whole number from 1 to 1024, got '"
                            + bad + "'");
        }
    }
}
