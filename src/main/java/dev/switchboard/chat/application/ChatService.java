package dev.switchboard.chat.application;

import java.util.List;
import java.util.Optional;

/**
 * The chat's use cases, transactional. Every method that changes state has committed when it returns, so callers
 * broadcast only what is stored. Failures are {@link ChatException}s: INVALID_PAYLOAD, NOT_A_MEMBER, ROOM_NOT_FOUND,
 * STORAGE_UNAVAILABLE (database down: nothing half-stored).
 */
public interface ChatService {
    /**
     * Stores a message from a member of the room. Text must be non-blank and within the configured length; a
     * clientMessageId already used by this user returns the original record with duplicate=true (stored once).
     */
    PostOutcome post(String userId, String room, String text, String clientMessageId);

    /** Newest first, ids strictly below beforeId (null: from the newest); limit is clamped to 1..100. */
    List<StoredMessage> history(String room, Long beforeId, int limit);

    Optional<StoredMessage> deleteMessage(String room, long messageId);

    /** Creates the room if it does not exist (names: 1-64 of [A-Za-z0-9_-]); returns it. */
    RoomView ensureRoom(String name, String createdBy);

    List<RoomView> rooms();

    Optional<RoomView> room(String name);

    /** Joins (creating the room if needed); idempotent. */
    void join(String userId, String room);

    void leave(String userId, String room);

    List<String> roomsOf(String userId);

    List<String> members(String room);

    boolean isMember(String userId, String room);
}
