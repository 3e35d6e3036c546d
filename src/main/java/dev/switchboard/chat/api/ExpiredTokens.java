package dev.switchboard.chat.api;

import dev.switchboard.chat.application.ChatErrorCode;
import dev.switchboard.chat.application.ChatException;
import dev.switchboard.chat.security.ChatSecurity;

/**
 * Tells an expired bearer token from a bad one. MP-JWT refuses both with a bare 401, so the token is checked again
 * with the handshake's verifier (the same key, issuer and audiences): only a token valid in every respect but its
 * {@code exp} counts as expired, so that an integrator knows to refresh; forged, foreign-issuer, wrong-audience or
 * {@code alg: none} tokens stay UNAUTHORIZED.
 */
final class ExpiredTokens {
    /** RFC 6750's challenge for an expired token. */
    static final String CHALLENGE = "Bearer error=\"invalid_token\", error_description=\"the token has expired\"";

    private ExpiredTokens() {
    }

    static boolean isExpired(ChatSecurity security, String authorization) {
        if (security == null || authorization == null || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return false;
        }
        try {
            security.verifier().verify(authorization.substring(7).trim());
            return false;
        } catch (ChatException e) {
            return e.code() == ChatErrorCode.TOKEN_EXPIRED;
        } catch (RuntimeException e) {
            return false;
        }
    }

    /** The problem for a 401: TOKEN_EXPIRED when the token only expired, else UNAUTHORIZED. */
    static Problem unauthorized(ChatSecurity security, String authorization) {
        return isExpired(security, authorization)
                ? Problems.of(ChatErrorCode.TOKEN_EXPIRED, "the bearer token has expired; get a new one")
                : Problems.of(ChatErrorCode.UNAUTHORIZED, "a valid bearer token is required");
    }
}
