package dev.switchboard.container;

import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SwitchboardSettingsWebSocketTest {
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
}
