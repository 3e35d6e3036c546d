package dev.switchboard.chat.application;

/** A refusal with a stable code and a message safe to show the user (never payloads or tokens). */
public class ChatException extends RuntimeException {
    private final ChatErrorCode code;

    public ChatException(ChatErrorCode code, String message) {
        super(message);
        this.code = code;
    }

    public ChatException(ChatErrorCode code, String message, Throwable cause) {
        super(message, cause);
        this.code = code;
    }

    public ChatErrorCode code() {
        return code;
    }
}
