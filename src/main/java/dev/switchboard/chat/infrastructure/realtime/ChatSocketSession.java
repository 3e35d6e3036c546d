package dev.switchboard.chat.infrastructure.realtime;

import dev.switchboard.chat.security.ChatPrincipal;
import dev.switchboard.engineio.Scheduler;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The chat state one socket owns, kept in {@code socket.data()} and dropped with it: who it is, its rate limiter,
 * the chat rooms it counts in for presence, and its token-expiry timer.
 */
public final class ChatSocketSession {
    public static final String DATA_KEY = "chat.session";

    private final ChatPrincipal principal;
    private final RateLimiter limiter;
    private final Set<String> rooms = ConcurrentHashMap.newKeySet();
    private final AtomicReference<Scheduler.Cancellable> expiry = new AtomicReference<>(Scheduler.Cancellable.NONE);

    private final Set<String> initialRooms;

    /** @param initialRooms the rooms the socket was put in while connecting (presence not yet counted) */
    public ChatSocketSession(ChatPrincipal principal, RateLimiter limiter, Set<String> initialRooms) {
        this.principal = principal;
        this.limiter = limiter;
        this.initialRooms = java.util.Collections.unmodifiableSet(new java.util.LinkedHashSet<>(initialRooms));
    }

    Set<String> initialRooms() {
        return initialRooms;
    }

    public ChatPrincipal principal() {
        return principal;
    }

    public String userId() {
        return principal.userId();
    }

    public RateLimiter limiter() {
        return limiter;
    }

    /** @return true when the room was not counted yet */
    boolean addRoom(String room) {
        return rooms.add(room);
    }

    boolean removeRoom(String room) {
        return rooms.remove(room);
    }

    boolean inRoom(String room) {
        return rooms.contains(room);
    }

    Set<String> rooms() {
        return Set.copyOf(rooms);
    }

    void expiryTimer(Scheduler.Cancellable timer) {
        Scheduler.Cancellable previous = expiry.getAndSet(timer);
        previous.cancel();
    }

    void cancelExpiry() {
        expiry.getAndSet(Scheduler.Cancellable.NONE).cancel();
    }
}
