package dev.switchboard.chat.security;

import org.eclipse.microprofile.config.Config;

import java.io.IOException;
import java.security.interfaces.RSAPublicKey;
import java.util.Arrays;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The one JWT configuration, read from the standard MicroProfile keys that MP-JWT (REST) reads too:
 * {@code mp.jwt.verify.publickey} or {@code mp.jwt.verify.publickey.location}, {@code mp.jwt.verify.issuer},
 * {@code mp.jwt.verify.audiences} (comma-separated, optional). With the development issuer on, its
 * {@link DevIssuerConfigSource} supplies the key and issuer at a low ordinal.
 *
 * @param publicKey null when none is configured (every token is then refused)
 */
public record JwtSettings(RSAPublicKey publicKey, String issuer, Set<String> audiences) {
    public static final String PUBLIC_KEY = "mp.jwt.verify.publickey";
    public static final String PUBLIC_KEY_LOCATION = "mp.jwt.verify.publickey.location";
    public static final String ISSUER = "mp.jwt.verify.issuer";
    public static final String AUDIENCES = "mp.jwt.verify.audiences";

    public JwtSettings {
        audiences = Set.copyOf(audiences);
    }

    /** @throws IllegalArgumentException naming the key when a configured key cannot be read */
    public static JwtSettings from(Config config) {
        Optional<String> inline = nonBlank(config, PUBLIC_KEY);
        RSAPublicKey key = null;
        if (inline.isPresent()) {
            key = parse(PUBLIC_KEY, inline.get());
        } else {
            Optional<String> location = nonBlank(config, PUBLIC_KEY_LOCATION);
            if (location.isPresent()) {
                try {
                    key = parse(PUBLIC_KEY_LOCATION, PublicKeys.load(location.get()));
                } catch (IOException e) {
                    throw new IllegalArgumentException(PUBLIC_KEY_LOCATION + ": cannot read the key: " + e.getMessage(), e);
                }
            }
        }
        Set<String> audiences = nonBlank(config, AUDIENCES)
                .map(v -> Arrays.stream(v.split(",")).map(String::trim).filter(s -> !s.isEmpty())
                        .collect(Collectors.toUnmodifiableSet()))
                .orElse(Set.of());
        return new JwtSettings(key, nonBlank(config, ISSUER).orElse(null), audiences);
    }

    private static RSAPublicKey parse(String name, String value) {
        try {
            return PublicKeys.parse(value);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(name + ": " + e.getMessage(), e);
        }
    }

    private static Optional<String> nonBlank(Config config, String key) {
        return config.getOptionalValue(key, String.class).map(String::trim).filter(s -> !s.isEmpty());
    }
}
