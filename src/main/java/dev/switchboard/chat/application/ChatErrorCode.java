package dev.switchboard.chat.application;

/** Stable error codes clients and integrators act on; the HTTP status is what the REST API answers with. */
public enum ChatErrorCode {
    INVALID_PAYLOAD(400),
    NOT_A_MEMBER(403),
    FORBIDDEN(403),
    UNAUTHORIZED(401),
    TOKEN_EXPIRED(401),
    ROOM_NOT_FOUND(404),
    MESSAGE_NOT_FOUND(404),
    CONFLICT(409),
    PAYLOAD_TOO_LARGE(413),
    RATE_LIMITED(429),
    STORAGE_UNAVAILABLE(503);

    private final int httpStatus;

    ChatErrorCode(int httpStatus) {
        this.httpStatus = httpStatus;
    }

    public int httpStatus() {
        return httpStatus;
    }
}
