package dev.switchboard.chat.security;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.security.KeyPair;
import java.security.interfaces.RSAPrivateKey;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;

/** The development issuer's key file and tokens. */
class DevIssuerTest {
    @TempDir
    Path dir;

    @Test
    void keyPairIsCreatedOnceAndKeptOnDiskPrivately() throws Exception {
        Path file = dir.resolve("a/dev-issuer/key.pem");
        KeyPair first = DevIssuerKeys.loadOrCreate(file);
        assertThat(Files.readString(file)).contains("BEGIN PRIVATE KEY").contains("BEGIN PUBLIC KEY");
        assertThat(Files.getPosixFilePermissions(file)).containsExactlyInAnyOrder(
                PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);
        assertThat(DevIssuerKeys.loadOrCreate(file).getPublic()).isEqualTo(first.getPublic());
        try (var files = Files.list(file.getParent())) {
            assertThat(files.toList()).containsExactly(file);
        }
    }

    @Test
    void concurrentCreatorsAgreeOnOnePair() throws Exception {
        int n = 6;
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(n);
        List<Future<KeyPair>> results = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            Path file = dir.resolve("b/key.pem");
            results.add(pool.submit(() -> {
                start.await();
                return DevIssuerKeys.readOrGenerate(file); // bypasses the cache, as separate processes would
            }));
        }
        start.countDown();
        Set<Object> publics = new java.util.HashSet<>();
        for (Future<KeyPair> f : results) {
            publics.add(f.get().getPublic());
        }
        pool.shutdown();
        assertThat(publics).hasSize(1);
        try (var files = Files.list(dir.resolve("b"))) {
            assertThat(files.toList()).containsExactly(dir.resolve("b/key.pem"));
        }
    }

    @Test
    void issuedTokensPassTheVerifierWithTheGroupsAndTtl() {
        Path file = dir.resolve("c/key.pem");
        long now = 1_800_000_000_000L;
        DevTokenIssuer issuer = new DevTokenIssuer((RSAPrivateKey) DevIssuerKeys.privateKey(file), "switchboard-dev",
                Set.of(), 3600, () -> now);
        TokenVerifier verifier = new TokenVerifier(DevIssuerKeys.publicKey(file), "switchboard-dev", Set.of(),
                () -> now + 1000);
        ChatPrincipal p = verifier.verify(issuer.issue("alice", List.of("admin"), null));
        assertThat(p.userId()).isEqualTo("alice");
        assertThat(p.groups()).containsExactlyInAnyOrder("user", "admin");
        assertThat(p.expiresAt().toEpochMilli()).isEqualTo(now + 3_600_000);
        assertThat(verifier.verify(issuer.issue("bob", List.of(), 2L)).expiresAt().toEpochMilli()).isEqualTo(now + 2000);
    }

    @Test
    void publicKeysParsePemAndBase64Der() {
        Path file = dir.resolve("d/key.pem");
        var key = DevIssuerKeys.publicKey(file);
        String der = PublicKeys.toBase64Der(key);
        assertThat(PublicKeys.parse(der)).isEqualTo(key);
        String pem = "-----BEGIN PUBLIC KEY-----\n" + der.replaceAll("(.{64})", "$1\n") + "\n-----END PUBLIC KEY-----\n";
        assertThat(PublicKeys.parse(pem)).isEqualTo(key);
    }
}
