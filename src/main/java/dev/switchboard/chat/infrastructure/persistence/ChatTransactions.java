package dev.switchboard.chat.infrastructure.persistence;

import dev.switchboard.chat.application.ChatErrorCode;
import dev.switchboard.chat.application.ChatException;
import dev.switchboard.chat.application.PostOutcome;
import dev.switchboard.chat.application.RoomView;
import dev.switchboard.chat.application.StoredMessage;
import dev.switchboard.chat.domain.Membership;
import dev.switchboard.chat.domain.MembershipRepository;
import dev.switchboard.chat.domain.Message;
import dev.switchboard.chat.domain.MessageRepository;
import dev.switchboard.chat.domain.Room;
import dev.switchboard.chat.domain.RoomRepository;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import jakarta.transaction.Transactional.TxType;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The transaction boundaries of the chat. Writes run in their own transaction (REQUIRES_NEW): when one returns it
 * has committed, and a failure (e.g. a unique violation in a dedup race) rolls back only itself, so
 * {@link JpaChatService} can re-read in a fresh transaction. Inputs are already validated; results are
 * application records, never entities. Reads join a caller's transaction, and a refusal there
 * ({@link ChatException}, e.g. ROOM_NOT_FOUND) does not mark it for rollback.
 */
@ApplicationScoped
@Transactional(value = TxType.REQUIRED, dontRollbackOn = ChatException.class)
public class ChatTransactions {
    @Inject
    RoomRepository rooms;
    @Inject
    MembershipRepository memberships;
    @Inject
    MessageRepository messages;

    @Transactional(TxType.REQUIRES_NEW)
    public PostOutcome post(String userId, String room, String text, String clientMessageId, long now) {
        requireRoom(room);
        if (memberships.find(room, userId).isEmpty()) {
            throw new ChatException(ChatErrorCode.NOT_A_MEMBER, "join the room before posting");
        }
        if (clientMessageId != null) {
            Optional<Message> earlier = messages.findByClientId(userId, clientMessageId);
            if (earlier.isPresent()) {
                return new PostOutcome(view(earlier.get()), true);
            }
        }
        Message message = new Message(room, userId, text, now, clientMessageId);
        messages.add(message);
        return new PostOutcome(view(message), false);
    }

    @Transactional(TxType.REQUIRES_NEW)
    public Optional<StoredMessage> findByClientId(String userId, String clientMessageId) {
        return messages.findByClientId(userId, clientMessageId).map(ChatTransactions::view);
    }

    public List<StoredMessage> history(String room, Long beforeId, int limit) {
        requireRoom(room);
        return messages.page(room, beforeId, limit).stream().map(ChatTransactions::view).toList();
    }

    @Transactional(TxType.REQUIRES_NEW)
    public Optional<StoredMessage> delete(String room, long messageId) {
        Optional<Message> found = messages.find(room, messageId);
        found.ifPresent(messages::remove);
        return found.map(ChatTransactions::view);
    }

    @Transactional(TxType.REQUIRES_NEW)
    public RoomView ensureRoom(String name, String createdBy, long now) {
        Room room = rooms.find(name).orElseGet(() -> {
            Room created = new Room(name, createdBy, now);
            rooms.add(created);
            return created;
        });
        return view(room, rooms.memberCount(name));
    }

    public List<RoomView> rooms() {
        Map<String, Long> counts = rooms.memberCounts();
        return rooms.all().stream().map(r -> view(r, counts.getOrDefault(r.name(), 0L))).toList();
    }

    public Optional<RoomView> room(String name) {
        return rooms.find(name).map(r -> view(r, rooms.memberCount(name)));
    }

    @Transactional(TxType.REQUIRES_NEW)
    public void join(String userId, String room, long now) {
        if (rooms.find(room).isEmpty()) {
            rooms.add(new Room(room, userId, now));
        }
        if (memberships.find(room, userId).isEmpty()) {
            memberships.add(new Membership(room, userId, now));
        }
    }

    @Transactional(TxType.REQUIRES_NEW)
    public void leave(String userId, String room) {
        memberships.find(room, userId).ifPresent(memberships::remove);
    }

    public List<String> roomsOf(String userId) {
        return memberships.roomsOf(userId);
    }

    public List<String> members(String room) {
        return memberships.members(room);
    }

    public boolean isMember(String userId, String room) {
        return memberships.find(room, userId).isPresent();
    }

    private void requireRoom(String room) {
        if (rooms.find(room).isEmpty()) {
            throw new ChatException(ChatErrorCode.ROOM_NOT_FOUND, "no such room");
        }
    }

    static StoredMessage view(Message m) {
        return new StoredMessage(m.id(), m.roomName(), m.userId(), m.text(), m.createdAt(), m.clientMessageId());
    }

    static RoomView view(Room r, long memberCount) {
        return new RoomView(r.name(), r.createdBy(), r.createdAt(), memberCount);
    }
}
