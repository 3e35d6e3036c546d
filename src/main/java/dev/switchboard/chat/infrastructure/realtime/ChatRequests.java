package dev.switchboard.chat.infrastructure.realtime;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.chat.application.ChatErrorCode;
import dev.switchboard.chat.application.ChatException;

import java.util.List;

/**
 * Validation of the events clients send. Each parse method takes the event's arguments and returns a record, or
 * throws a {@link ChatException} with {@link ChatErrorCode#INVALID_PAYLOAD} and a message fit for the client.
 */
public final class ChatRequests {
    public static final int MAX_MESSAGE_ID = 64;
    public static final int MAX_HISTORY = 100;
    public static final int DEFAULT_HISTORY = 50;

    private ChatRequests() {
    }

    /** {@code chat_message} {room, text, message_id?}. */
    public record Post(String room, String text, String messageId) {
    }

    /** {@code history} {room, before?, limit?}. */
    public record HistoryQuery(String room, Long before, int limit) {
    }

    public static Post post(List<JsonNode> args, int maxLength) {
        JsonNode p = object(args);
        String room = room(p);
        JsonNode text = p.get("text");
        if (text == null || !text.isTextual() || text.asText().isBlank()) {
            throw invalid("text: a non-empty string is required");
        }
        String t = text.asText();
        if (t.codePointCount(0, t.length()) > maxLength) {
            throw invalid("text: at most " + maxLength + " characters");
        }
        JsonNode id = p.get("message_id");
        String messageId = null;
        if (id != null && !id.isNull()) {
            if (!id.isTextual() || id.asText().isEmpty() || id.asText().length() > MAX_MESSAGE_ID) {
                throw invalid("message_id: a string of 1-" + MAX_MESSAGE_ID + " characters");
            }
            messageId = id.asText();
        }
        return new Post(room, t, messageId);
    }

    /** {@code join}, {@code leave}, {@code typing}: {room}. */
    public static String roomOnly(List<JsonNode> args) {
        return room(object(args));
    }

    public static HistoryQuery history(List<JsonNode> args) {
        JsonNode p = object(args);
        String room = room(p);
        Long before = null;
        JsonNode b = p.get("before");
        if (b != null && !b.isNull()) {
            if (!b.isIntegralNumber() || !b.canConvertToLong() || b.asLong() < 1) {
                throw invalid("before: a positive message id");
            }
            before = b.asLong();
        }
        int limit = DEFAULT_HISTORY;
        JsonNode l = p.get("limit");
        if (l != null && !l.isNull()) {
            if (!l.isIntegralNumber() || !l.canConvertToInt() || l.asInt() < 1 || l.asInt() > MAX_HISTORY) {
                throw invalid("limit: a whole number from 1 to " + MAX_HISTORY);
            }
            limit = l.asInt();
        }
        return new HistoryQuery(room, before, limit);
    }

    private static JsonNode object(List<JsonNode> args) {
        if (args.isEmpty() || !args.get(0).isObject()) {
            throw invalid("the payload must be an object");
        }
        return args.get(0);
    }

    private static String room(JsonNode payload) {
        JsonNode room = payload.get("room");
        if (room == null || !room.isTextual() || room.asText().isBlank()) {
            throw invalid("room: a room name is required");
        }
        return room.asText();
    }

    private static ChatException invalid(String message) {
        return new ChatException(ChatErrorCode.INVALID_PAYLOAD, message);
    }
}
