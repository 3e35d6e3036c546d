package dev.switchboard.container;

import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** switchboard.websocket.server and switchboard.polling.server. */
class SwitchboardSettingsTransportsTest {
    private static SwitchboardSettings with(Map<String, String> values) {
        return SwitchboardSettings.from(key -> Optional.ofNullable(values.get(key)));
    }

    @Test
    void grizzlyByDefaultJakartaOnRequestAndAClearErrorOtherwise() {
        assertThat(with(Map.of()).webSocketServer()).isEqualTo(SwitchboardSettings.WebSocketServer.GRIZZLY);
        assertThat(with(Map.of("switchboard.websocket.server", " Jakarta ")).webSocketServer())
                .isEqualTo(SwitchboardSettings.WebSocketServer.JAKARTA);
        assertThatThrownBy(() -> with(Map.of("switchboard.websocket.server", "tyrus")))
                .hasMessage("switchboard.websocket.server: expected grizzly or jakarta, got 'tyrus'");
    }

    @Test
    void pollingOnGrizzlyByDefaultTheServletOnRequestAndAClearErrorOtherwise() {
        assertThat(with(Map.of()).pollingServer()).isEqualTo(SwitchboardSettings.PollingServer.GRIZZLY);
        assertThat(with(Map.of("switchboard.polling.server", "SERVLET")).pollingServer())
                .isEqualTo(SwitchboardSettings.PollingServer.SERVLET);
        assertThatThrownBy(() -> with(Map.of("switchboard.polling.server", "catalina")))
                .hasMessage("switchboard.polling.server: expected grizzly or servlet, got 'catalina'");
        assertThatThrownBy(() -> with(Map.of("switchboard.polling.server", "")))
                .hasMessage("switchboard.polling.server: expected grizzly or servlet, got ''");
    }
}
