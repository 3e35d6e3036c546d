package dev.switchboard.chat.security;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.PlainHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import dev.switchboard.chat.application.ChatErrorCode;
import dev.switchboard.chat.application.ChatException;
import org.junit.jupiter.api.Test;

import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.interfaces.RSAPublicKey;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TokenVerifierTest {
    private static final KeyPair KEYS = rsa();
    private static final KeyPair OTHER_KEYS = rsa();
    private static final long NOW = 1_800_000_000_000L;

    private final AtomicLong clock = new AtomicLong(NOW);
    private final TokenVerifier verifier = new TokenVerifier((RSAPublicKey) KEYS.getPublic(), "switchboard-dev",
            Set.of(), clock::get);

    @Test
    void acceptsAValidTokenAndReadsUserGroupsAndExpiry() throws Exception {
        ChatPrincipal p = verifier.verify(sign(claims().build(), KEYS));
        assertThat(p.userId()).isEqualTo("alice");
        assertThat(p.groups()).containsExactlyInAnyOrder("user", "admin");
        assertThat(p.expiresAt()).isEqualTo(Instant.ofEpochMilli(NOW + 60_000));
    }

    @Test
    void userIdFallsBackFromUpnToSub() throws Exception {
        JWTClaimsSet noUpn = claims().claim("upn", null).subject("bob").build();
        assertThat(verifier.verify(sign(noUpn, KEYS)).userId()).isEqualTo("bob");
    }

    @Test
    void refusesAlgNone() {
        String token = new PlainJWT(new PlainHeader(), claims().build()).serialize();
        assertRefused(token, ChatErrorCode.UNAUTHORIZED);
    }

    @Test
    void refusesHs256EvenWithThePublicKeyAsSecret() throws Exception {
        SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), claims().build());
        jwt.sign(new MACSigner(pad(KEYS.getPublic().getEncoded())));
        assertRefused(jwt.serialize(), ChatErrorCode.UNAUTHORIZED);
    }

    @Test
    void refusesOtherRsaAlgorithmsEvenWithTheRightKey() throws Exception {
        // the RS256-only rule itself: the HS256 and alg-none cases are also refused by the library, these are not
        for (JWSAlgorithm alg : List.of(JWSAlgorithm.RS384, JWSAlgorithm.RS512, JWSAlgorithm.PS256)) {
            SignedJWT jwt = new SignedJWT(new JWSHeader(alg), claims().build());
            jwt.sign(new RSASSASigner(KEYS.getPrivate()));
            assertRefused(jwt.serialize(), ChatErrorCode.UNAUTHORIZED);
        }
    }

    @Test
    void refusesAnotherKey() throws Exception {
        assertRefused(sign(claims().build(), OTHER_KEYS), ChatErrorCode.UNAUTHORIZED);
    }

    @Test
    void refusesATamperedPayload() throws Exception {
        String[] parts = sign(claims().build(), KEYS).split("\\.");
        String forged = sign(claims().claim("upn", "mallory").build(), KEYS).split("\\.")[1];
        assertRefused(parts[0] + "." + forged + "." + parts[2], ChatErrorCode.UNAUTHORIZED);
    }

    @Test
    void refusesTheWrongIssuer() throws Exception {
        assertRefused(sign(claims().issuer("someone-else").build(), KEYS), ChatErrorCode.UNAUTHORIZED);
        assertRefused(sign(claims().issuer(null).build(), KEYS), ChatErrorCode.UNAUTHORIZED);
    }

    @Test
    void checksTheAudienceOnlyWhenConfigured() throws Exception {
        TokenVerifier withAudience = new TokenVerifier((RSAPublicKey) KEYS.getPublic(), "switchboard-dev",
                Set.of("chat", "ops"), clock::get);
        assertThat(withAudience.verify(sign(claims().audience(List.of("x", "chat")).build(), KEYS)).userId())
                .isEqualTo("alice");
        assertThatThrownBy(() -> withAudience.verify(sign(claims().audience("other").build(), KEYS)))
                .isInstanceOfSatisfying(ChatException.class, e -> assertThat(e.code()).isEqualTo(ChatErrorCode.UNAUTHORIZED));
        assertThatThrownBy(() -> withAudience.verify(sign(claims().build(), KEYS)))
                .isInstanceOfSatisfying(ChatException.class, e -> assertThat(e.code()).isEqualTo(ChatErrorCode.UNAUTHORIZED));
        assertThat(verifier.verify(sign(claims().audience("anything").build(), KEYS)).userId()).isEqualTo("alice");
    }

    @Test
    void expiredIsTokenExpiredAtTheExactSecond() throws Exception {
        String token = sign(claims().build(), KEYS);
        clock.set(NOW + 59_999);
        assertThat(verifier.verify(token).userId()).isEqualTo("alice");
        clock.set(NOW + 60_000);
        assertRefused(token, ChatErrorCode.TOKEN_EXPIRED);
    }

    @Test
    void expiredWithABadSignatureIsUnauthorizedNotExpired() throws Exception {
        clock.set(NOW + 120_000);
        assertRefused(sign(claims().build(), OTHER_KEYS), ChatErrorCode.UNAUTHORIZED);
    }

    @Test
    void refusesATokenWithoutExpiryOrUser() throws Exception {
        assertRefused(sign(claims().expirationTime(null).build(), KEYS), ChatErrorCode.UNAUTHORIZED);
        assertRefused(sign(claims().claim("upn", null).subject(null).build(), KEYS), ChatErrorCode.UNAUTHORIZED);
    }

    @Test
    void refusesGarbageAndEmptyTokens() {
        for (String garbage : new String[] {null, "", "  ", "abc", "a.b.c", "eyJhbGciOiJSUzI1NiJ9.e30.", "{}"}) {
            assertRefused(garbage, ChatErrorCode.UNAUTHORIZED);
        }
    }

    @Test
    void refusesEverythingWithoutAKey() throws Exception {
        TokenVerifier none = TokenVerifier.refusingAll();
        assertThatThrownBy(() -> none.verify(sign(claims().build(), KEYS)))
                .isInstanceOfSatisfying(ChatException.class, e -> assertThat(e.code()).isEqualTo(ChatErrorCode.UNAUTHORIZED));
    }

    @Test
    void refusalMessagesNeverContainTheToken() throws Exception {
        String token = sign(claims().issuer("x").build(), KEYS);
        assertThatThrownBy(() -> verifier.verify(token)).hasMessageNotContaining(token.substring(0, 20));
    }

    private void assertRefused(String token, ChatErrorCode code) {
        assertThatThrownBy(() -> verifier.verify(token))
                .isInstanceOfSatisfying(ChatException.class, e -> assertThat(e.code()).isEqualTo(code));
    }

    private static JWTClaimsSet.Builder claims() {
        return new JWTClaimsSet.Builder().issuer("switchboard-dev").subject("alice").claim("upn", "alice")
                .claim("groups", List.of("user", "admin")).issueTime(new Date(NOW))
                .expirationTime(new Date(NOW + 60_000));
    }

    static String sign(JWTClaimsSet claims, KeyPair keys) throws Exception {
        SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.RS256), claims);
        jwt.sign(new RSASSASigner(keys.getPrivate()));
        return jwt.serialize();
    }

    private static byte[] pad(byte[] secret) {
        return secret.length >= 32 ? secret : java.util.Arrays.copyOf(secret, 32);
    }

    static KeyPair rsa() {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
            g.initialize(2048);
            return g.generateKeyPair();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
