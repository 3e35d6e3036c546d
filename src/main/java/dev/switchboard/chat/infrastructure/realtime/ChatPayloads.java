package dev.switchboard.chat.infrastructure.realtime;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import dev.switchboard.chat.application.ChatErrorCode;
import dev.switchboard.chat.application.StoredMessage;

import java.util.List;

/** What the gateway sends to clients, as records serialised by the Socket.IO layer's JSON mapper. */
public final class ChatPayloads {
    private ChatPayloads() {
    }

    /** {@code new_message}, the ack of {@code chat_message}, and each entry of a history page. */
    public record Message(long id, String room, @JsonProperty("user_id") String userId, String text, long timestamp,
                          @JsonProperty("message_id") String messageId) {
        public static Message of(StoredMessage m) {
            return new Message(m.id(), m.room(), m.userId(), m.text(), m.timestamp(), m.messageId());
        }
    }

    /** {@code user_joined}, {@code user_left}, {@code typing}. */
    public record RoomUser(@JsonProperty("user_id") String userId, String room) {
    }

    /** {@code message_deleted}. */
    public record Deleted(long id, String room) {
    }

    /** {@code alert}. */
    public record Alert(String message, String from) {
    }

    /** {@code error}, and the {@code error} member of a refused ack. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Error(ChatErrorCode code, String message, @JsonProperty("retry_after_ms") Long retryAfterMillis) {
        public Error(ChatErrorCode code, String message) {
            this(code, message, null);
        }
    }

    /** A refused ack: {"error": {...}}. */
    public record AckError(Error error) {
    }

    /** The ack of {@code join} and {@code leave}. */
    public record RoomOk(boolean ok, String room) {
    }

    /** The ack of {@code history}: newest first. */
    public record History(List<Message> messages) {
    }
}
