package dev.switchboard.chat.application;

import java.util.regex.Pattern;

/**
 * The chat's input rules, shared by every entry point (REST, realtime gateway) through {@link ChatService}.
 * Refusals are {@link ChatException}s with safe messages (they never echo the text).
 */
public final class ChatRules {
    public static final int DEFAULT_MAX_MESSAGE_LENGTH = 2000;
    /** Upper bound for the configured maximum: the text column holds 16000 characters (UTF-16 units). */
    public static final int MAX_CONFIGURABLE_LENGTH = 8000;
    public static final int MAX_LIMIT = 100;
    public static final int MAX_CLIENT_ID_LENGTH = 64;
    public static final int MAX_USER_ID_LENGTH = 255;

    private static final Pattern ROOM_NAME = Pattern.compile("[A-Za-z0-9_-]{1,64}");
    private static final Pattern CLIENT_ID = Pattern.compile("[\\x21-\\x7E]{1,64}");

    private final int maxMessageLength;

    public ChatRules(int maxMessageLength) {
        if (maxMessageLength < 1 || maxMessageLength > MAX_CONFIGURABLE_LENGTH) {
            throw new IllegalArgumentException("switchboard.chat.max-message-length must be 1.."
                    + MAX_CONFIGURABLE_LENGTH + ", got " + maxMessageLength);
        }
        this.maxMessageLength = maxMessageLength;
    }

    public int maxMessageLength() {
        return maxMessageLength;
    }

    public static boolean isValidRoomName(String name) {
        return name != null && ROOM_NAME.matcher(name).matches();
    }

    public String roomName(String name) {
        if (!isValidRoomName(name)) {
            throw new ChatException(ChatErrorCode.INVALID_PAYLOAD, "room names are 1-64 of A-Z a-z 0-9 _ -");
        }
        return name;
    }

    public String userId(String userId) {
        if (userId == null || userId.isBlank() || userId.length() > MAX_USER_ID_LENGTH) {
            throw new ChatException(ChatErrorCode.INVALID_PAYLOAD, "user id missing or too long");
        }
        return userId;
    }

    /** Non-blank, at most the configured length in code points; too long is PAYLOAD_TOO_LARGE. */
    public String text(String text) {
        if (text == null || text.isBlank()) {
            throw new ChatException(ChatErrorCode.INVALID_PAYLOAD, "text must not be blank");
        }
        if (text.codePointCount(0, text.length()) > maxMessageLength) {
            throw new ChatException(ChatErrorCode.PAYLOAD_TOO_LARGE,
                    "text longer than " + maxMessageLength + " characters");
        }
        return text;
    }

    /** Null stays null (no dedup); otherwise 1-64 printable ASCII characters, e.g. a UUID. */
    public String clientMessageId(String id) {
        if (id == null) {
            return null;
        }
        if (!CLIENT_ID.matcher(id).matches()) {
            throw new ChatException(ChatErrorCode.INVALID_PAYLOAD,
                    "message_id must be 1-64 printable ASCII characters");
        }
        return id;
    }

    public static int clampLimit(int limit) {
        return Math.max(1, Math.min(MAX_LIMIT, limit));
    }
}
