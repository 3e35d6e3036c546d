package dev.switchboard.chat.security;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * When the development issuer is on, and what its config source supplies. Without a MicroProfile Config
 * implementation on the test classpath the policy reads system properties, as it does while the config is built.
 */
class DevIssuerPolicyTest {
    @TempDir
    Path dir;

    @AfterEach
    void clear() {
        for (String key : new String[] {DevIssuerPolicy.ENABLED, DevIssuerPolicy.DATA_DIR, JwtSettings.PUBLIC_KEY,
                JwtSettings.PUBLIC_KEY_LOCATION, DevIssuerConfigSource.ISSUER_KEY}) {
            System.clearProperty(key);
        }
    }

    @Test
    void onByDefaultSupplyingTheKeyAndIssuerAtALowOrdinal() {
        System.setProperty(DevIssuerPolicy.DATA_DIR, dir.toString());
        DevIssuerConfigSource source = new DevIssuerConfigSource();
        assertThat(DevIssuerPolicy.enabled()).isTrue();
        assertThat(source.getOrdinal()).isLessThan(100);
        assertThat(source.getValue(JwtSettings.ISSUER)).isEqualTo("switchboard-dev");
        String key = source.getValue(JwtSettings.PUBLIC_KEY);
        assertThat(PublicKeys.parse(key)).isEqualTo(DevIssuerKeys.publicKey(dir.resolve(DevIssuerPolicy.KEY_FILE)));
        assertThat(source.getPropertyNames()).containsExactlyInAnyOrder(JwtSettings.PUBLIC_KEY, JwtSettings.ISSUER);
        assertThat(source.getValue("something.else")).isNull();
        System.setProperty(DevIssuerConfigSource.ISSUER_KEY, "my-dev");
        assertThat(source.getValue(JwtSettings.ISSUER)).isEqualTo("my-dev");
    }

    @Test
    void offInTheProductionProfile() {
        System.setProperty(DevIssuerPolicy.ENABLED, "false");
        assertThat(DevIssuerPolicy.enabled()).isFalse();
        assertThat(new DevIssuerConfigSource().getProperties()).isEmpty();
    }

    @Test
    void offWhenTheOperatorConfiguresARealIssuer() {
        System.setProperty(JwtSettings.PUBLIC_KEY_LOCATION, "/etc/keys/issuer.pem");
        assertThat(DevIssuerPolicy.enabled()).isFalse();
        System.clearProperty(JwtSettings.PUBLIC_KEY_LOCATION);
        System.setProperty(JwtSettings.PUBLIC_KEY, "MIIB...");
        assertThat(DevIssuerPolicy.enabled()).isFalse();
        assertThat(new DevIssuerConfigSource().getValue(JwtSettings.PUBLIC_KEY)).isNull();
    }
}
