package dev.switchboard.chat.domain;

import java.util.List;
import java.util.Optional;

/** Messages; called inside a transaction. */
public interface MessageRepository {
    Optional<Message> find(String roomName, long id);

    /** The message a user already sent with this client id, in any room. */
    Optional<Message> findByClientId(String userId, String clientMessageId);

    /** Newest first: at most limit messages of the room with id below beforeId (null: from the newest). */
    List<Message> page(String roomName, Long beforeId, int limit);

    /** Stores and flushes, so the id is assigned and a dedup collision surfaces here. */
    void add(Message message);

    void remove(Message message);
}
