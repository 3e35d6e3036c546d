package dev.switchboard.chat.infrastructure.persistence;

import dev.switchboard.chat.application.ChatRules;
import dev.switchboard.chat.application.ChatService;
import dev.switchboard.chat.application.MessageDedup;
import dev.switchboard.chat.application.PostOutcome;
import dev.switchboard.chat.application.RoomView;
import dev.switchboard.chat.application.StoredMessage;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * {@link ChatService} on JPA. Validates, then calls {@link ChatTransactions}, whose writes commit before they
 * return. This class stays outside the transactions on purpose: it sees commit failures (and turns them into
 * STORAGE_UNAVAILABLE with nothing half-stored), and on a dedup race (two posts with the same message id, the loser
 * hits the unique key) it re-reads the winner in a fresh transaction. A {@link MessageDedup} claim comes first, so
 * that a retry reaching another node is answered from the stored original without an insert; the unique key stays
 * the last line whenever the claim store cannot answer.
 */
@ApplicationScoped
public class JpaChatService implements ChatService {
    @Inject
    ChatTransactions tx;

    @Inject
    ChatRules rules;

    @Inject
    dev.switchboard.chat.infrastructure.ChatMetrics metrics;

    @Inject
    MessageDedup dedup;

    private static final long[] SEEN_PAUSES_MILLIS = {50, 150, 300, 500};

    private final Clock clock = Clock.systemUTC();

    @Override
    public PostOutcome post(String userId, String room, String text, String clientMessageId) {
        String user = rules.userId(userId);
        String name = rules.roomName(room);
        String body = rules.text(text);
        String cid = rules.clientMessageId(clientMessageId);
        long start = System.nanoTime();
        MessageDedup.Claim claim = cid == null ? MessageDedup.Claim.UNKNOWN : dedup.claim(user, cid);
        PostOutcome outcome = claim == MessageDedup.Claim.SEEN ? earlier(user, cid).orElse(null) : null;
        if (outcome == null) {
            outcome = insert(user, name, body, cid, claim);
        }
        if (outcome.duplicate()) {
            metrics.dedupHit(System.nanoTime() - start);
        } else {
            metrics.persisted(System.nanoTime() - start);
        }
        return outcome;
    }

    private PostOutcome insert(String user, String name, String body, String cid, MessageDedup.Claim claim) {
        try {
            return tx.post(user, name, body, cid, clock.millis());
        } catch (RuntimeException e) {
            if (cid != null && StorageFailures.isUniqueViolation(e)) {
                return guarded(() -> tx.findByClientId(user, cid))
                        .map(original -> new PostOutcome(original, true))
                        .orElseThrow(() -> StorageFailures.translate(e));
            }
            if (claim == MessageDedup.Claim.FIRST) {
                dedup.release(user, cid); // nothing stored: the client's retry must be able to store it
            }
            throw StorageFailures.translate(e);
        }
    }

    /**
     * The record of a post whose claim another post (maybe on another node) holds. That post may still be in its
     * transaction: look a few times over about a second, then let the insert and the unique key decide.
     */
    private Optional<PostOutcome> earlier(String user, String cid) {
        for (long pause : SEEN_PAUSES_MILLIS) {
            Optional<StoredMessage> original = guarded(() -> tx.findByClientId(user, cid));
            if (original.isPresent()) {
                return Optional.of(new PostOutcome(original.get(), true));
            }
            try {
                Thread.sleep(pause);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        return Optional.empty();
    }

    @Override
    public List<StoredMessage> history(String room, Long beforeId, int limit) {
        String name = rules.roomName(room);
        return guarded(() -> tx.history(name, beforeId, ChatRules.clampLimit(limit)));
    }

    @Override
    public Optional<StoredMessage> deleteMessage(String room, long messageId) {
        String name = rules.roomName(room);
        return guarded(() -> tx.delete(name, messageId));
    }

    @Override
    public RoomView ensureRoom(String name, String createdBy) {
        String room = rules.roomName(name);
        String user = rules.userId(createdBy);
        return retryOnUniqueViolation(() -> tx.ensureRoom(room, user, clock.millis()));
    }

    @Override
    public List<RoomView> rooms() {
        return guarded(tx::rooms);
    }

    @Override
    public Optional<RoomView> room(String name) {
        if (!ChatRules.isValidRoomName(name)) {
            return Optional.empty();
        }
        return guarded(() -> tx.room(name));
    }

    @Override
    public void join(String userId, String room) {
        String user = rules.userId(userId);
        String name = rules.roomName(room);
        retryOnUniqueViolation(() -> {
            tx.join(user, name, clock.millis());
            return null;
        });
    }

    @Override
    public void leave(String userId, String room) {
        String user = rules.userId(userId);
        String name = rules.roomName(room);
        guarded(() -> {
            tx.leave(user, name);
            return null;
        });
    }

    @Override
    public List<String> roomsOf(String userId) {
        String user = rules.userId(userId);
        return guarded(() -> tx.roomsOf(user));
    }

    @Override
    public List<String> members(String room) {
        String name = rules.roomName(room);
        return guarded(() -> tx.members(name));
    }

    @Override
    public boolean isMember(String userId, String room) {
        if (userId == null || !ChatRules.isValidRoomName(room)) {
            return false;
        }
        return guarded(() -> tx.isMember(userId, room));
    }

    /** Idempotent writes that race on a unique key: the loser's retry finds the winner's row. */
    private <T> T retryOnUniqueViolation(Supplier<T> write) {
        try {
            return write.get();
        } catch (RuntimeException e) {
            if (StorageFailures.isUniqueViolation(e)) {
                return guarded(write);
            }
            throw StorageFailures.translate(e);
        }
    }

    private static <T> T guarded(Supplier<T> work) {
        try {
            return work.get();
        } catch (RuntimeException e) {
            throw StorageFailures.translate(e);
        }
    }
}
