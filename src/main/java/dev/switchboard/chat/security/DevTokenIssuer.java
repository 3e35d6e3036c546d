package dev.switchboard.chat.security;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;

import java.security.interfaces.RSAPrivateKey;
import java.util.ArrayList;
import java.util.Date;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.function.LongSupplier;

/**
 * Mints RS256 tokens for development and tests, in the shape MP-JWT expects: iss, sub, upn, groups (always "user"
 * plus the requested ones), aud (when audiences are configured), iat, exp, jti.
 */
public final class DevTokenIssuer {
    public static final String BASE_GROUP = "user";

    private final RSASSASigner signer;
    private final String issuer;
    private final Set<String> audiences;
    private final long defaultTtlSeconds;
    private final LongSupplier clock;

    public DevTokenIssuer(RSAPrivateKey key, String issuer, Set<String> audiences, long defaultTtlSeconds,
                          LongSupplier clock) {
        this.signer = new RSASSASigner(key);
        this.issuer = issuer;
        this.audiences = Set.copyOf(audiences);
        this.defaultTtlSeconds = defaultTtlSeconds;
        this.clock = clock;
    }

    public long defaultTtlSeconds() {
        return defaultTtlSeconds;
    }

    /** @param ttlSeconds null for the configured default */
    public String issue(String user, List<String> groups, Long ttlSeconds) {
        long now = clock.getAsLong();
        long ttl = ttlSeconds == null ? defaultTtlSeconds : ttlSeconds;
        Set<String> allGroups = new LinkedHashSet<>();
        allGroups.add(BASE_GROUP);
        allGroups.addAll(groups);
        JWTClaimsSet.Builder claims = new JWTClaimsSet.Builder()
                .issuer(issuer)
                .subject(user)
                .claim("upn", user)
                .claim("groups", new ArrayList<>(allGroups))
                .issueTime(new Date(now / 1000 * 1000))
                .expirationTime(new Date(now + ttl * 1000))
                .jwtID(UUID.randomUUID().toString());
        if (!audiences.isEmpty()) {
            claims.audience(new ArrayList<>(audiences));
        }
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).type(JOSEObjectType.JWT).build(),
                claims.build());
        try {
            jwt.sign(signer);
        } catch (JOSEException e) {
            throw new IllegalStateException("cannot sign the development token", e);
        }
        return jwt.serialize();
    }
}
