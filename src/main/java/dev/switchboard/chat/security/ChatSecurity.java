package dev.switchboard.chat.security;

import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.ConfigProvider;

import java.util.Optional;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The application's JWT objects, built once from MicroProfile Config: the handshake's {@link TokenVerifier} and,
 * while it is on, the {@link DevTokenIssuer}.
 */
@ApplicationScoped
public class ChatSecurity {
    public static final String TTL_KEY = "switchboard.dev-token.ttl-seconds";
    public static final long MAX_TTL_SECONDS = 86_400;
    private static final Logger LOG = Logger.getLogger(ChatSecurity.class.getName());

    private volatile TokenVerifier verifier;
    private volatile Optional<DevTokenIssuer> devIssuer;

    public TokenVerifier verifier() {
        TokenVerifier v = verifier;
        if (v == null) {
            synchronized (this) {
                if (verifier == null) {
                    verifier = buildVerifier(ConfigProvider.getConfig());
                }
                v = verifier;
            }
        }
        return v;
    }

    public Optional<DevTokenIssuer> devIssuer() {
        Optional<DevTokenIssuer> d = devIssuer;
        if (d == null) {
            synchronized (this) {
                if (devIssuer == null) {
                    devIssuer = buildDevIssuer(ConfigProvider.getConfig());
                }
                d = devIssuer;
            }
        }
        return d;
    }

    private static TokenVerifier buildVerifier(Config config) {
        JwtSettings settings = JwtSettings.from(config);
        config.getOptionalValue(JwtSettings.PUBLIC_KEY_LOCATION, String.class).filter(PublicKeys::isBareFilePath)
                .ifPresent(location -> LOG.log(Level.SEVERE, "{0}={1} is a plain file path: the socket handshake "
                        + "reads it, but MP-JWT on the REST API does not and refuses every token (401). Write it as "
                        + "a URL: file://{2}", new Object[] {JwtSettings.PUBLIC_KEY_LOCATION, location,
                        java.nio.file.Path.of(location.trim()).toAbsolutePath()}));
        if (settings.publicKey() == null) {
            LOG.warning("no JWT public key configured (mp.jwt.verify.publickey or .location): every socket is refused");
            return TokenVerifier.refusingAll();
        }
        LOG.log(Level.INFO, "socket handshakes verify JWTs of issuer {0}, audiences {1}",
                new Object[] {settings.issuer(), settings.audiences().isEmpty() ? "(any)" : settings.audiences()});
        return new TokenVerifier(settings.publicKey(), settings.issuer(), settings.audiences(),
                System::currentTimeMillis);
    }

    private static Optional<DevTokenIssuer> buildDevIssuer(Config config) {
        if (!DevIssuerPolicy.enabled()) {
            return Optional.empty();
        }
        long ttl = config.getOptionalValue(TTL_KEY, String.class).map(String::trim).map(v -> {
            try {
                long n = Long.parseLong(v);
                if (n >= 1 && n <= MAX_TTL_SECONDS) {
                    return n;
                }
            } catch (NumberFormatException ignored) {
                // reported below
            }
            throw new IllegalArgumentException(TTL_KEY + ": expected a whole number from 1 to " + MAX_TTL_SECONDS
                    + ", got '" + v + "'");
        }).orElse(3600L);
        JwtSettings settings = JwtSettings.from(config);
        String issuer = settings.issuer() != null ? settings.issuer() : DevIssuerConfigSource.DEFAULT_ISSUER;
        LOG.log(Level.WARNING, "development token issuer ON (POST /api/dev/token, issuer {0}); switch it off in "
                + "production with switchboard.dev-token.enabled=false or a real mp.jwt.verify.publickey", issuer);
        return Optional.of(new DevTokenIssuer(DevIssuerKeys.privateKey(DevIssuerPolicy.keyFile()), issuer,
                settings.audiences(), ttl, System::currentTimeMillis));
    }
}
