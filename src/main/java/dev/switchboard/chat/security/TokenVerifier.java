package dev.switchboard.chat.security;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.switchboard.chat.application.ChatErrorCode;
import dev.switchboard.chat.application.ChatException;

import java.security.interfaces.RSAPublicKey;
import java.text.ParseException;
import java.time.Instant;
import java.util.Date;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.function.LongSupplier;

/**
 * Verifies the bearer token of a Socket.IO handshake with exactly the MicroProfile JWT settings the REST API uses:
 * RS256 with the configured public key, the issuer, the audiences when configured, and {@code exp} (no clock skew).
 * An expired but otherwise valid token is {@link ChatErrorCode#TOKEN_EXPIRED}; every other refusal is
 * {@link ChatErrorCode#UNAUTHORIZED}. Messages never contain the token.
 */
public final class TokenVerifier {
    private final RSASSAVerifier verifier;
    private final String issuer;
    private final Set<String> audiences;
    private final LongSupplier clock;

    /** A verifier that refuses every token (no key configured). */
    public static TokenVerifier refusingAll() {
        return new TokenVerifier(null, null, Set.of(), System::currentTimeMillis);
    }

    /**
     * @param publicKey the issuer's key; null refuses every token
     * @param issuer    required {@code iss}, or null to accept any
     * @param audiences accepted {@code aud} values (one must match), or empty to skip the check
     * @param clock     epoch milliseconds
     */
    public TokenVerifier(RSAPublicKey publicKey, String issuer, Set<String> audiences, LongSupplier clock) {
        this.verifier = publicKey == null ? null : new RSASSAVerifier(publicKey);
        this.issuer = issuer == null || issuer.isBlank() ? null : issuer.trim();
        this.audiences = Set.copyOf(audiences);
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    public ChatPrincipal verify(String token) {
        if (token == null || token.isBlank()) {
            throw unauthorized("a token is required");
        }
        if (verifier == null) {
            throw unauthorized("no token issuer is configured");
        }
        SignedJWT jwt;
        JWTClaimsSet claims;
        try {
            jwt = SignedJWT.parse(token.trim());
            claims = jwt.getJWTClaimsSet();
        } catch (ParseException e) {
            throw unauthorized("malformed token");
        }
        if (!JWSAlgorithm.RS256.equals(jwt.getHeader().getAlgorithm())) {
            throw unauthorized("token algorithm not accepted");
        }
        try {
            if (!jwt.verify(verifier)) {
                throw unauthorized("invalid token signature");
            }
        } catch (JOSEException e) {
            throw unauthorized("invalid token signature");
        }
        if (issuer != null && !issuer.equals(claims.getIssuer())) {
            throw unauthorized("token issuer not accepted");
        }
        if (!audiences.isEmpty() && (claims.getAudience() == null
                || claims.getAudience().stream().noneMatch(audiences::contains))) {
            throw unauthorized("token audience not accepted");
        }
        return principal(claims);
    }

    private ChatPrincipal principal(JWTClaimsSet claims) {
        Date exp = claims.getExpirationTime();
        if (exp == null) {
            throw unauthorized("token has no expiry");
        }
        long now = clock.getAsLong();
        if (now >= exp.getTime()) {
            throw new ChatException(ChatErrorCode.TOKEN_EXPIRED, "token expired");
        }
        Date nbf = claims.getNotBeforeTime();
        if (nbf != null && now < nbf.getTime()) {
            throw unauthorized("token not yet valid");
        }
        String user = firstNonBlank(claims, "upn", "preferred_username", "sub");
        if (user == null) {
            throw unauthorized("token names no user");
        }
        List<String> groups;
        try {
            groups = claims.getStringListClaim("groups");
        } catch (ParseException e) {
            throw unauthorized("malformed groups claim");
        }
        Set<String> groupSet = new LinkedHashSet<>(groups == null ? List.of() : groups);
        groupSet.remove(null);
        return new ChatPrincipal(user, groupSet, Instant.ofEpochMilli(exp.getTime()));
    }

    private static String firstNonBlank(JWTClaimsSet claims, String... names) {
        for (String name : names) {
            Object value = claims.getClaim(name);
            if (value instanceof String s && !s.isBlank()) {
                return s;
            }
        }
        return null;
    }

    private static ChatException unauthorized(String message) {
        return new ChatException(ChatErrorCode.UNAUTHORIZED, message);
    }
}
