package dev.switchboard.chat.security;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * payara/profiles/production.properties: the development issuer off (and the policy agrees when the file's values
 * are loaded as the --systemproperties file loads them), the production heartbeat, PostgreSQL from the environment,
 * and no JWT key left active (the operator plugs in the issuer). The run itself was checked by hand: POST
 * /api/dev/token answers 404 and the server starts (docs/CHAT-PROTOCOL.md, "Production profile").
 */
class ProductionProfileTest {
    private static final Path FILE = Path.of("payara/profiles/production.properties");

    @AfterEach
    void clear() {
        System.clearProperty(DevIssuerPolicy.ENABLED);
    }

    @Test
    void switchesTheDevelopmentIssuerOff() throws IOException {
        Properties p = load();
        assertThat(p.getProperty(DevIssuerPolicy.ENABLED)).isEqualTo("false");
        System.setProperty(DevIssuerPolicy.ENABLED, p.getProperty(DevIssuerPolicy.ENABLED));
        assertThat(DevIssuerPolicy.enabled()).isFalse();
        assertThat(new DevIssuerConfigSource().getProperties()).isEmpty();
    }

    @Test
    void usesTheProductionHeartbeatAndPostgresFromTheEnvironment() throws IOException {
        Properties p = load();
        assertThat(p.getProperty("switchboard.profile")).isEqualTo("production");
        assertThat(p.getProperty("switchboard.ping-interval")).isEqualTo("${SWITCHBOARD_PING_INTERVAL:10000}");
        assertThat(p.getProperty("switchboard.ping-timeout")).isEqualTo("${SWITCHBOARD_PING_TIMEOUT:5000}");
        assertThat(p.getProperty("switchboard.db.class")).isEqualTo("org.postgresql.ds.PGSimpleDataSource");
        assertThat(p.getProperty("switchboard.db.url")).startsWith("${SWITCHBOARD_DB_URL:jdbc:postgresql://");
        assertThat(p.getProperty("switchboard.db.user")).startsWith("${SWITCHBOARD_DB_USER:");
        assertThat(p.getProperty("switchboard.db.password")).matches("\\$\\{SWITCHBOARD_DB_PASSWORD:.+}");
    }

    @Test
    void leavesTheJwtKeysToTheOperator() throws IOException {
        assertThat(load().stringPropertyNames()).noneMatch(k -> k.startsWith("mp.jwt."));
        assertThat(Files.readString(FILE)).contains("#   mp.jwt.verify.publickey.location=", "#   mp.jwt.verify.issuer=",
                "#   mp.jwt.verify.audiences=");
    }

    @Test
    void aPlainFilePathAsKeyLocationIsFlaggedBecauseMpJwtOnlyReadsUrls() throws IOException {
        Path key = Files.createTempFile("issuer", ".pem");
        try {
            assertThat(PublicKeys.isBareFilePath(key.toString())).isTrue();
            assertThat(PublicKeys.isBareFilePath(key.toUri().toString())).isFalse();
            assertThat(PublicKeys.isBareFilePath("https://idp.example.com/certs")).isFalse();
            assertThat(PublicKeys.isBareFilePath("classpath:keys/issuer.pem")).isFalse();
            assertThat(PublicKeys.isBareFilePath("keys/not-a-file.pem")).isFalse();
            assertThat(PublicKeys.isBareFilePath(" ")).isFalse();
        } finally {
            Files.delete(key);
        }
    }

    private static Properties load() throws IOException {
        Properties p = new Properties();
        try (Reader in = Files.newBufferedReader(FILE)) {
            p.load(in);
        }
        return p;
    }
}
