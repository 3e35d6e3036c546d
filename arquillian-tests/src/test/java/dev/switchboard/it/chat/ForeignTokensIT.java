package dev.switchboard.it.chat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import dev.switchboard.it.PayaraNodes;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.interfaces.RSAPrivateKey;
import java.time.Duration;
import java.util.Base64;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tokens of a real issuer that break exactly one rule, over the deployed server: signed with another key, another
 * issuer, another audience, expired, {@code alg: none}, RS384 with the right key. The development issuer's tokens
 * cannot carry these (its endpoint chooses the issuer, the audience and the key), so this test starts its own Payara
 * Micro (ports 3870-3879) configured with a key pair, issuer and audience of its own, signs every token itself, and
 * checks both doors: the socket handshake (the chat's own verifier) and REST (MP-JWT). A correctly signed token is
 * the control: accepted by both.
 */
@EnabledIfSystemProperty(named = "switchboard.itProperties", matches = ".*chat\\.properties",
        disabledReason = "runs in failsafe's chat execution (its properties are the base of this server's)")
class ForeignTokensIT {
    private static final String ISSUER = "https://issuer.example.test";
    private static final String AUDIENCE = "switchboard-test";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private static KeyPair trusted;
    private static KeyPair other;
    @AutoClose // stops the node after the tests
    private static PayaraNodes node;

    @BeforeAll
    static void startServer() throws Exception {
        KeyPairGenerator rsa = KeyPairGenerator.getInstance("RSA");
        rsa.initialize(2048);
        trusted = rsa.generateKeyPair();
        other = rsa.generateKeyPair();
        Path workDir = PayaraNodes.workDir("foreign-tokens-");
        Path properties = PayaraNodes.properties(workDir, "foreign-tokens.properties",
                "# ForeignTokensIT: a real issuer of the test's own, and an audience\n"
                + "switchboard.db.url=jdbc:h2:mem:foreigntokens;DB_CLOSE_DELAY=-1\n"
                + "switchboard.data-dir=" + workDir.resolve("data") + "\n"
                + "mp.jwt.verify.publickey=" + Base64.getEncoder().encodeToString(trusted.getPublic().getEncoded())
                + "\nmp.jwt.verify.issuer=" + ISSUER + "\nmp.jwt.verify.audiences=" + AUDIENCE + "\n");
        node = PayaraNodes.start(workDir, properties, 1, 3870, 3879, PayaraNodes.defaultJvmOptions());
    }

    @Test
    void aCorrectTokenIsAcceptedByBothDoors() throws Exception {
        String token = signed(JWSAlgorithm.RS256, trusted, claims(ISSUER, AUDIENCE, 600));
        assertThat(socketConnect(token)).as("socket CONNECT reply").startsWith("40{\"sid\":");
        assertThat(rest(token).statusCode()).as("GET /api/rooms").isEqualTo(200);
    }

    @Test
    void signedWithAnotherKey() throws Exception {
        assertRefused(signed(JWSAlgorithm.RS256, other, claims(ISSUER, AUDIENCE, 600)), "UNAUTHORIZED");
    }

    @Test
    void anotherIssuer() throws Exception {
        assertRefused(signed(JWSAlgorithm.RS256, trusted, claims("https://someone-else.test", AUDIENCE, 600)),
                "UNAUTHORIZED");
    }

    @Test
    void anotherAudience() throws Exception {
        assertRefused(signed(JWSAlgorithm.RS256, trusted, claims(ISSUER, "another-service", 600)), "UNAUTHORIZED");
    }

    @Test
    void expired() throws Exception {
        assertRefused(signed(JWSAlgorithm.RS256, trusted, claims(ISSUER, AUDIENCE, -60)), "TOKEN_EXPIRED");
    }

    @Test
    void algNone() throws Exception {
        assertRefused(new PlainJWT(claims(ISSUER, AUDIENCE, 600)).serialize(), "UNAUTHORIZED");
    }

    @Test
    void anotherRsaAlgorithmWithTheRightKey() throws Exception {
        assertRefused(signed(JWSAlgorithm.RS384, trusted, claims(ISSUER, AUDIENCE, 600)), "UNAUTHORIZED");
    }

    private static void assertRefused(String token, String socketCode) throws Exception {
        String reply = socketConnect(token);
        assertThat(reply).as("socket CONNECT reply").startsWith("44{");
        JsonNode error = JSON.readTree(reply.substring(2));
        assertThat(error.path("data").path("code").asText()).as("connect_error code: %s", reply).isEqualTo(socketCode);
        HttpResponse<String> r = rest(token);
        assertThat(r.statusCode()).as("GET /api/rooms: %s", r.body()).isEqualTo(401);
    }

    private static JWTClaimsSet claims(String issuer, String audience, long expiresInSeconds) {
        long now = System.currentTimeMillis();
        return new JWTClaimsSet.Builder().issuer(issuer).audience(audience).subject("mallory")
                .claim("upn", "mallory").claim("groups", java.util.List.of("user"))
                .issueTime(new Date(now - 120_000)).expirationTime(new Date(now + expiresInSeconds * 1000))
                .jwtID(java.util.UUID.randomUUID().toString()).build();
    }

    private static String signed(JWSAlgorithm alg, KeyPair keys, JWTClaimsSet claims) throws Exception {
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(alg).type(com.nimbusds.jose.JOSEObjectType.JWT).build(),
                claims);
        jwt.sign(new RSASSASigner((RSAPrivateKey) keys.getPrivate()));
        return jwt.serialize();
    }

    /** A raw polling session: handshake, CONNECT to "/" with {token}, and the server's reply to it. */
    private static String socketConnect(String token) throws Exception {
        String root = node.url(0) + "/socket.io/?EIO=4&transport=polling";
        String open = get(root);
        assertThat(open).startsWith("0{");
        String sid = JSON.readTree(open.substring(1)).path("sid").asText();
        Map<String, String> auth = new LinkedHashMap<>();
        auth.put("token", token);
        HttpResponse<String> post = HTTP.send(HttpRequest.newBuilder(URI.create(root + "&sid=" + sid))
                .timeout(Duration.ofSeconds(10)).POST(HttpRequest.BodyPublishers.ofString(
                        "40" + JSON.writeValueAsString(auth))).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(post.statusCode()).isEqualTo(200);
        String reply = get(root + "&sid=" + sid);
        // one packet per poll here; a ping cannot come first within the heartbeat interval
        return reply.split("\u001e")[0];
    }

    private static String get(String url) throws Exception {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as("GET %s: %s", url, r.body()).isEqualTo(200);
        return r.body();
    }

    private static HttpResponse<String> rest(String token) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(node.url(0) + "/api/rooms")).timeout(Duration.ofSeconds(10))
                .header("Authorization", "Bearer " + token).build(), HttpResponse.BodyHandlers.ofString());
    }
}
