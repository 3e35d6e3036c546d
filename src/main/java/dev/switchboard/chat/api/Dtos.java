package dev.switchboard.chat.api;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.switchboard.chat.application.RoomView;
import dev.switchboard.chat.application.StoredMessage;

import java.util.List;

/** The API's JSON shapes. Field names follow the realtime protocol: {id, room, user_id, text, timestamp, message_id}. */
public final class Dtos {
    private Dtos() {
    }

    public record MessageJson(long id, String room, @JsonProperty("user_id") String userId, String text,
                              long timestamp, @JsonProperty("message_id") String messageId) implements ApiBody {
        static MessageJson of(StoredMessage m) {
            return new MessageJson(m.id(), m.room(), m.userId(), m.text(), m.timestamp(), m.messageId());
        }
    }

    /** One page of history, newest first; next_before is the cursor of the next (older) page, null at the end. */
    public record MessagePageJson(String room, List<MessageJson> messages,
                                  @JsonProperty("next_before") Long nextBefore) implements ApiBody {
    }

    public record RoomJson(String name, @JsonProperty("created_by") String createdBy,
                           @JsonProperty("created_at") long createdAt,
                           @JsonProperty("member_count") long memberCount) implements ApiBody {
        static RoomJson of(RoomView r) {
            return new RoomJson(r.name(), r.createdBy(), r.createdAt(), r.memberCount());
        }
    }

    public record RoomListJson(List<RoomJson> rooms) implements ApiBody {
    }

    public record MembersJson(String room, List<String> members) implements ApiBody {
    }

    public record PresenceJson(String room, List<String> users) implements ApiBody {
    }

    public record CreateRoomRequest(String name) implements ApiBody {
    }

    public record PostMessageRequest(String text, @JsonProperty("message_id") String messageId) implements ApiBody {
    }

    public record BroadcastRequest(String message, String room) implements ApiBody {
    }
}
