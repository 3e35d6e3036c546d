package dev.switchboard.chat.security;

import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.ConfigProvider;
import org.eclipse.microprofile.config.spi.ConfigSource;

import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;

/**
 * Whether the development token issuer is on, and where its key lives. It is on unless
 * {@code switchboard.dev-token.enabled=false} (the production profile) or the operator configured a real issuer
 * ({@code mp.jwt.verify.publickey} or {@code .location}). The operator's settings are read from every config source
 * except {@link DevIssuerConfigSource} itself, so that the key it supplies does not switch it off.
 */
public final class DevIssuerPolicy {
    public static final String ENABLED = "switchboard.dev-token.enabled";
    public static final String DATA_DIR = "switchboard.data-dir";
    public static final String KEY_FILE = "dev-issuer/jwt-signing-key.pem";

    private static final ThreadLocal<Boolean> READING = new ThreadLocal<>();

    private DevIssuerPolicy() {
    }

    public static boolean enabled() {
        boolean switchedOff = explicit(ENABLED).map(v -> v.trim().toLowerCase(Locale.ROOT)).filter("false"::equals)
                .isPresent();
        return !switchedOff && !realIssuerConfigured();
    }

    public static boolean realIssuerConfigured() {
        return explicit(JwtSettings.PUBLIC_KEY).isPresent() || explicit(JwtSettings.PUBLIC_KEY_LOCATION).isPresent();
    }

    /** The key file, under {@code switchboard.data-dir} (default ./data). */
    public static Path keyFile() {
        return Path.of(explicit(DATA_DIR).orElse("./data")).resolve(KEY_FILE).toAbsolutePath().normalize();
    }

    /**
     * The operator's value of a key: from the config sources other than ours, raw, blank treated as absent. Falls
     * back to system properties and the environment when the config is not available (or while it is being built).
     */
    static Optional<String> explicit(String key) {
        if (READING.get() != null) {
            return fromSystem(key);
        }
        READING.set(Boolean.TRUE);
        try {
            Config config = ConfigProvider.getConfig();
            for (ConfigSource source : config.getConfigSources()) {
                if (source instanceof DevIssuerConfigSource) {
                    continue;
                }
                String value = source.getValue(key);
                if (value != null) {
                    return Optional.of(value.trim()).filter(v -> !v.isEmpty());
                }
            }
            return Optional.empty();
        } catch (RuntimeException | LinkageError | java.util.ServiceConfigurationError e) {
            return fromSystem(key);
        } finally {
            READING.remove();
        }
    }

    private static Optional<String> fromSystem(String key) {
        String value = System.getProperty(key);
        if (value == null) {
            value = System.getenv(key.replaceAll("[^A-Za-z0-9]", "_").toUpperCase(Locale.ROOT));
        }
        return Optional.ofNullable(value).map(String::trim).filter(v -> !v.isEmpty());
    }
}
