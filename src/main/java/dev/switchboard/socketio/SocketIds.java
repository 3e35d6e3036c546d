package dev.switchboard.socketio;

import java.security.SecureRandom;
import java.util.Base64;

/** Socket ids and private session ids: 20 URL-safe characters from 15 random bytes. */
final class SocketIds {

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();

    private SocketIds() {
    }

    static String generate() {
        byte[] bytes = new byte[15];
        RANDOM.nextBytes(bytes);
        return ENCODER.encodeToString(bytes);
    }
}
