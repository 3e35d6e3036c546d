package dev.switchboard.chat.security;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLConnection;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.text.ParseException;
import java.util.Base64;
import java.util.Locale;

/**
 * Reads an RSA public key in the forms MicroProfile JWT accepts for {@code mp.jwt.verify.publickey}: PEM
 * ("BEGIN PUBLIC KEY"), one line of base64 DER (X.509 SubjectPublicKeyInfo), a JWK or a JWKS (first RSA key);
 * and loads {@code mp.jwt.verify.publickey.location} (a file path, file:/http(s): URL, or classpath resource).
 */
public final class PublicKeys {
    private PublicKeys() {
    }

    public static RSAPublicKey parse(String text) {
        String t = text == null ? "" : text.trim();
        if (t.isEmpty()) {
            throw new IllegalArgumentException("empty public key");
        }
        try {
            if (t.startsWith("{")) {
                return fromJwk(t);
            }
            String base64 = t.startsWith("-----BEGIN") ? pemBody(t) : t;
            byte[] der = decode(base64);
            return (RSAPublicKey) KeyFactory.getInstance("RSA").generatePublic(new X509EncodedKeySpec(der));
        } catch (GeneralSecurityException | ParseException | JOSEException | IllegalArgumentException
                 | ClassCastException e) {
            throw new IllegalArgumentException("not an RSA public key (PEM, base64 DER, JWK or JWKS): "
                    + e.getClass().getSimpleName(), e);
        }
    }

    public static String load(String location) throws IOException {
        String loc = location.trim();
        String lower = loc.toLowerCase(Locale.ROOT);
        if (lower.startsWith("classpath:")) {
            return classpath(loc.substring("classpath:".length()));
        }
        if (lower.startsWith("file:") || lower.startsWith("http:") || lower.startsWith("https:")) {
            URLConnection c = URI.create(loc).toURL().openConnection();
            c.setConnectTimeout(5_000);
            c.setReadTimeout(5_000);
            try (InputStream in = c.getInputStream()) {
                return new String(in.readNBytes(1_000_000), StandardCharsets.UTF_8);
            }
        }
        Path path = Path.of(loc);
        return Files.isRegularFile(path) ? Files.readString(path) : classpath(loc);
    }

    /**
     * True when the location is a plain file path (no {@code file:}, {@code http(s):} or {@code classpath:} prefix)
     * naming an existing file. {@link #load} reads it, but Payara's MP-JWT (the REST API) does not: it looks such a
     * location up on the classpath only, finds no key, and answers 401 to every REST call. Write
     * {@code file:///path} instead.
     */
    public static boolean isBareFilePath(String location) {
        if (location == null || location.isBlank()) {
            return false;
        }
        String lower = location.trim().toLowerCase(Locale.ROOT);
        if (lower.startsWith("file:") || lower.startsWith("http:") || lower.startsWith("https:")
                || lower.startsWith("classpath:")) {
            return false;
        }
        try {
            return Files.isRegularFile(Path.of(location.trim()));
        } catch (RuntimeException e) {
            return false;
        }
    }

    /** The key as one line of base64 DER, the form written for {@code mp.jwt.verify.publickey}. */
    public static String toBase64Der(RSAPublicKey key) {
        return Base64.getEncoder().encodeToString(key.getEncoded());
    }

    private static String classpath(String resource) throws IOException {
        String name = resource.startsWith("/") ? resource.substring(1) : resource;
        ClassLoader loader = Thread.currentThread().getContextClassLoader();
        try (InputStream in = (loader == null ? PublicKeys.class.getClassLoader() : loader).getResourceAsStream(name)) {
            if (in == null) {
                throw new IOException("public key not found at " + resource);
            }
            return new String(in.readNBytes(1_000_000), StandardCharsets.UTF_8);
        }
    }

    private static RSAPublicKey fromJwk(String json) throws ParseException, JOSEException {
        if (json.contains("\"keys\"")) {
            for (JWK jwk : JWKSet.parse(json).getKeys()) {
                if (jwk instanceof RSAKey rsa) {
                    return rsa.toRSAPublicKey();
                }
            }
            throw new ParseException("no RSA key in the JWKS", 0);
        }
        return RSAKey.parse(json).toRSAPublicKey();
    }

    static String pemBody(String pem) {
        StringBuilder body = new StringBuilder();
        for (String line : pem.split("\\R")) {
            String l = line.trim();
            if (!l.startsWith("-----") && !l.isEmpty()) {
                body.append(l);
            }
        }
        return body.toString();
    }

    private static byte[] decode(String base64) {
        String compact = base64.replaceAll("\\s", "");
        return compact.contains("-") || compact.contains("_")
                ? Base64.getUrlDecoder().decode(compact.replace("=", ""))
                : Base64.getDecoder().decode(compact);
    }
}
