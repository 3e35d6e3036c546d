package dev.switchboard.chat.security;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.interfaces.RSAPrivateKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The development issuer's RSA key pair, generated at first use and kept in one PEM file (private key, then public
 * key) so that restarts keep tokens valid. Creation is race-free across threads and processes: the pair is written
 * to a private temporary file and hard-linked to its final name, which fails if another writer won; the loser reads
 * the winner's file.
 */
public final class DevIssuerKeys {
    private static final Map<Path, KeyPair> CACHE = new ConcurrentHashMap<>();
    private static final String PRIVATE = "PRIVATE KEY";
    private static final String PUBLIC = "PUBLIC KEY";

    private DevIssuerKeys() {
    }

    public static KeyPair loadOrCreate(Path file) {
        return CACHE.computeIfAbsent(file.toAbsolutePath().normalize(), DevIssuerKeys::readOrGenerate);
    }

    public static RSAPublicKey publicKey(Path file) {
        return (RSAPublicKey) loadOrCreate(file).getPublic();
    }

    public static RSAPrivateKey privateKey(Path file) {
        return (RSAPrivateKey) loadOrCreate(file).getPrivate();
    }

    /** Without the in-process cache: what a second process sees. */
    static KeyPair readOrGenerate(Path file) {
        try {
            if (!Files.exists(file)) {
                create(file);
            }
            return read(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read or create the development issuer key " + file, e);
        }
    }

    private static void create(Path file) throws IOException {
        Files.createDirectories(file.getParent());
        Path tmp = file.resolveSibling(file.getFileName() + "." + ProcessHandle.current().pid() + "."
                + Thread.currentThread().threadId() + ".tmp");
        try {
            Files.deleteIfExists(tmp);
            try {
                Files.createFile(tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            } catch (UnsupportedOperationException e) {
                Files.createFile(tmp);
            }
            Files.writeString(tmp, pem(generate()), StandardCharsets.US_ASCII);
            try {
                Files.createLink(file, tmp);
            } catch (FileAlreadyExistsException lost) {
                // another thread or process created it first: use theirs
            } catch (UnsupportedOperationException noHardLinks) {
                try {
                    Files.move(tmp, file);
                } catch (FileAlreadyExistsException lost) {
                    // ditto
                }
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    private static KeyPair generate() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("RSA is not available", e);
        }
    }

    private static String pem(KeyPair pair) {
        Base64.Encoder b64 = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII));
        return "-----BEGIN " + PRIVATE + "-----\n" + b64.encodeToString(pair.getPrivate().getEncoded())
                + "\n-----END " + PRIVATE + "-----\n-----BEGIN " + PUBLIC + "-----\n"
                + b64.encodeToString(pair.getPublic().getEncoded()) + "\n-----END " + PUBLIC + "-----\n";
    }

    private static KeyPair read(Path file) throws IOException {
        String text = Files.readString(file, StandardCharsets.US_ASCII);
        try {
            KeyFactory rsa = KeyFactory.getInstance("RSA");
            return new KeyPair(
                    rsa.generatePublic(new X509EncodedKeySpec(block(text, PUBLIC))),
                    rsa.generatePrivate(new PKCS8EncodedKeySpec(block(text, PRIVATE))));
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new IOException("the development issuer key file " + file + " is damaged; delete it to start over", e);
        }
    }

    private static byte[] block(String text, String label) {
        String begin = "-----BEGIN " + label + "-----";
        String end = "-----END " + label + "-----";
        int from = text.indexOf(begin);
        int to = text.indexOf(end);
        if (from < 0 || to < from) {
            throw new IllegalArgumentException("no " + label + " block");
        }
        return Base64.getMimeDecoder().decode(text.substring(from + begin.length(), to));
    }
}
