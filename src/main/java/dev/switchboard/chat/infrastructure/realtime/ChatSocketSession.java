package dev.switchboard.chat.infrastructure.realtime;

import com.fasterxml.jackson.annotation.JsonValue;
import dev.switchboard.chat.security.ChatPrincipal;
import dev.switchboard.engineio.Scheduler;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The chat state one socket owns, kept in {@code socket.data()} and dropped with it: who it is, its rate limiter,
 * the chat rooms it counts in for presence (with when it entered each), and its token-expiry timer. Other nodes see
 * it through fetchSockets as its JSON view {@code {"user_id", "rooms": {room: since}}} ({@link Presence}).
 */
public final class ChatSocketSession {
    public static final String DATA_KEY = "chat.session";

    private final ChatPrincipal principal;
    private final RateLimiter limiter;
    private final Map<String, Long> rooms = new ConcurrentHashMap<>();
    private final AtomicReference<Scheduler.Cancellable> expiry = new AtomicReference<>(Scheduler.Cancellable.NONE);
    private final Set<String> initialRooms;
    private volatile SocketWork work;

    /**
     * @param initialRooms the rooms the socket was put in while connecting, counted for presence from sinceMillis
     *                     (announced once connected)
     */
    public ChatSocketSession(ChatPrincipal principal, RateLimiter limiter, Set<String> initialRooms, long sinceMillis) {
        this.principal = principal;
        this.limiter = limiter;
        this.initialRooms = Collections.unmodifiableSet(new LinkedHashSet<>(initialRooms));
        initialRooms.forEach(room -> rooms.put(room, sinceMillis));
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
    boolean addRoom(String room, long nowMillis) {
        return rooms.putIfAbsent(room, nowMillis) == null;
    }

    boolean removeRoom(String room) {
        return rooms.remove(room) != null;
    }

    boolean inRoom(String room) {
        return rooms.containsKey(room);
    }

    /** When the socket entered the room (epoch ms), or -1. */
    long since(String room) {
        return rooms.getOrDefault(room, -1L);
    }

    Set<String> rooms() {
        return Set.copyOf(rooms.keySet());
    }

    /** What other nodes see of this socket through fetchSockets (its socket data is sent as JSON). */
    /** The socket's serial work on the chat's pool (not part of the JSON other nodes see). */
    SocketWork work() {
        return work;
    }

    void work(SocketWork work) {
        this.work = work;
    }

    @JsonValue
    public Map<String, Object> json() {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put(Presence.USER_ID, userId());
        json.put(Presence.ROOMS, Map.copyOf(rooms));
        return json;
    }

    void expiryTimer(Scheduler.Cancellable timer) {
        Scheduler.Cancellable previous = expiry.getAndSet(timer);
        previous.cancel();
    }

    void cancelExpiry() {
        expiry.getAndSet(Scheduler.Cancellable.NONE).cancel();
    }
}
