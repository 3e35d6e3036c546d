package dev.switchboard.chat.security;

import org.eclipse.microprofile.config.spi.ConfigSource;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * Supplies {@code mp.jwt.verify.publickey} and {@code mp.jwt.verify.issuer} from the development issuer's key file
 * while that issuer is on, so that MP-JWT on the REST API accepts its tokens with no operator configuration.
 * Registered through META-INF/services with a low ordinal: anything the operator configures wins.
 */
public final class DevIssuerConfigSource implements ConfigSource {
    public static final int ORDINAL = 10;
    public static final String ISSUER_KEY = "switchboard.dev-token.issuer";
    public static final String DEFAULT_ISSUER = "switchboard-dev";

    @Override
    public Set<String> getPropertyNames() {
        return getProperties().keySet();
    }

    @Override
    public Map<String, String> getProperties() {
        Map<String, String> values = new LinkedHashMap<>();
        for (String key : new String[] {JwtSettings.PUBLIC_KEY, JwtSettings.ISSUER}) {
            String value = getValue(key);
            if (value != null) {
                values.put(key, value);
            }
        }
        return values;
    }

    @Override
    public String getValue(String propertyName) {
        boolean ours = JwtSettings.PUBLIC_KEY.equals(propertyName) || JwtSettings.ISSUER.equals(propertyName);
        if (!ours || !DevIssuerPolicy.enabled()) {
            return null;
        }
        if (JwtSettings.ISSUER.equals(propertyName)) {
            return DevIssuerPolicy.explicit(ISSUER_KEY).orElse(DEFAULT_ISSUER);
        }
        return PublicKeys.toBase64Der(DevIssuerKeys.publicKey(DevIssuerPolicy.keyFile()));
    }

    @Override
    public int getOrdinal() {
        return ORDINAL;
    }

    @Override
    public String getName() {
        return "switchboard-dev-token-issuer";
    }
}
