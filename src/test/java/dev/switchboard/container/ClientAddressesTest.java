package dev.switchboard.container;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ClientAddressesTest {
    private static final ClientAddresses BEHIND_TWO = ClientAddresses.parse("k", List.of("10.0.0.1", "::1"));

    @Test
    void withoutTrustedProxiesThePeerIsTheClientWhateverTheHeaderSays() {
        assertThat(ClientAddresses.PEER_ONLY.clientOf("192.0.2.9", List.of("203.0.113.5"))).isEqualTo("192.0.2.9");
        assertThat(ClientAddresses.PEER_ONLY.clientOf("192.0.2.9", null)).isEqualTo("192.0.2.9");
        assertThat(ClientAddresses.PEER_ONLY.clientOf(null, List.of("203.0.113.5"))).isEmpty();
    }

    @Test
    void anUntrustedPeerIsTheClient() {
        assertThat(BEHIND_TWO.clientOf("192.0.2.9", List.of("203.0.113.5"))).isEqualTo("192.0.2.9");
    }

    @Test
    void behindATrustedProxyTheNearestUntrustedHopIsTheClient() {
        // the client wrote "1.1.1.1" itself; the proxy appended the address it saw
        assertThat(BEHIND_TWO.clientOf("10.0.0.1", List.of("1.1.1.1, 203.0.113.5"))).isEqualTo("203.0.113.5");
        // two trusted proxies in a row, the header given twice
        assertThat(BEHIND_TWO.clientOf("10.0.0.1", List.of("1.1.1.1, 203.0.113.5", "0:0:0:0:0:0:0:1")))
                .isEqualTo("203.0.113.5");
        // IPv6 written in any form is the same address
        assertThat(BEHIND_TWO.clientOf("0:0:0:0:0:0:0:1", List.of("[2001:db8::7]"))).isEqualTo("2001:db8:0:0:0:0:0:7");
    }

    @Test
    void aTrustedProxyWithoutTheHeaderIsItselfTheClient() {
        assertThat(BEHIND_TWO.clientOf("10.0.0.1", null)).isEqualTo("10.0.0.1");
        assertThat(BEHIND_TWO.clientOf("10.0.0.1", List.of())).isEqualTo("10.0.0.1");
        assertThat(BEHIND_TWO.clientOf("10.0.0.1", List.of("10.0.0.1"))).isEqualTo("10.0.0.1");
    }

    @Test
    void garbageInTheChainStopsAtTheLastAddressATrustedProxyVouchedFor() {
        assertThat(BEHIND_TWO.clientOf("10.0.0.1", List.of("evil.example"))).isEqualTo("10.0.0.1");
        assertThat(BEHIND_TWO.clientOf("10.0.0.1", List.of("203.0.113.5, 999.1.1.1, ::1"))).isEqualTo("0:0:0:0:0:0:0:1");
        assertThat(BEHIND_TWO.clientOf("10.0.0.1", List.of(""))).isEqualTo("10.0.0.1");
    }

    @ParameterizedTest
    @ValueSource(strings = {"localhost", "proxy.internal", "999.0.0.1", "10.0.0.0/8", "1.2.3", "fe80::1%eth0", ":::x"})
    void theSettingTakesAddressLiteralsOnly(String bad) {
        assertThatThrownBy(() -> SwitchboardSettings.from(key -> Optional.ofNullable(
                Map.of("switchboard.trusted-proxies", "10.0.0.1, " + bad).get(key))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("switchboard.trusted-proxies: expected IP addresses separated by commas, got '" + bad + "'");
    }

    @Test
    void theSettingDefaultsToNoProxy() {
        assertThat(SwitchboardSettings.from(key -> Optional.empty()).clientAddresses())
                .isEqualTo(ClientAddresses.PEER_ONLY);
        assertThat(SwitchboardSettings.from(key -> Optional.ofNullable(
                Map.of("switchboard.trusted-proxies", " 127.0.0.1 ,::1,").get(key))).clientAddresses().trustedProxies())
                .containsExactlyInAnyOrder("127.0.0.1", "0:0:0:0:0:0:0:1");
    }
}
