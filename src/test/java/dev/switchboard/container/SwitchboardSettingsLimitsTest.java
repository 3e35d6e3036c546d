package dev.switchboard.container;

import dev.switchboard.engineio.EngineLimits;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** switchboard.max-connections, switchboard.handshake-rate and switchboard.drain-timeout. */
class SwitchboardSettingsLimitsTest {
    private static SwitchboardSettings read(Map<String, String> values) {
        return SwitchboardSettings.from(key -> Optional.ofNullable(values.get(key)));
    }

    @Test
    void defaultsAreNoLimitsAndATenSecondDrain() {
        SwitchboardSettings s = read(Map.of());
        assertThat(s.limits()).isEqualTo(EngineLimits.NONE);
        assertThat(s.drainTimeoutMillis()).isEqualTo(10_000);
    }

    @Test
    void keysMapOntoTheLimits() {
        SwitchboardSettings s = read(Map.of("switchboard.max-connections", "5000", "switchboard.handshake-rate", "20",
                "switchboard.drain-timeout", "30000"));
        assertThat(s.limits()).isEqualTo(new EngineLimits(5000, 20));
        assertThat(s.drainTimeoutMillis()).isEqualTo(30_000);
        assertThat(read(Map.of("switchboard.max-connections", "0")).limits().maxConnections()).isZero();
    }

    @Test
    void badValuesNameTheKey() {
        assertThatThrownBy(() -> read(Map.of("switchboard.max-connections", "-1")))
                .hasMessageStartingWith("switchboard.max-connections:");
        assertThatThrownBy(() -> read(Map.of("switchboard.handshake-rate", "fast")))
                .hasMessageStartingWith("switchboard.handshake-rate:");
        assertThatThrownBy(() -> read(Map.of("switchboard.drain-timeout", "0")))
                .hasMessageStartingWith("switchboard.drain-timeout:");
        assertThatThrownBy(() -> read(Map.of("switchboard.send-queue.max-packets", "0")))
                .hasMessageStartingWith("switchboard.send-queue.max-packets:");
        assertThatThrownBy(() -> read(Map.of("switchboard.send-queue.max-bytes", "1MB")))
                .hasMessageStartingWith("switchboard.send-queue.max-bytes:");
    }

    @Test
    void sendQueueKeysMapOntoTheBound() {
        SwitchboardSettings s = read(Map.of("switchboard.send-queue.max-packets", "50",
                "switchboard.send-queue.max-bytes", "4096"));
        assertThat(s.engine().sendQueue().maxPackets()).isEqualTo(50);
        assertThat(s.engine().sendQueue().maxBytes()).isEqualTo(4096);
    }
}
