package dev.switchboard.chat.infrastructure.realtime;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Who is in each room on this node: room → user → number of that user's sockets in it, so that a user with two
 * tabs is one presence. Thread-safe; each change is atomic per room.
 */
public final class RoomPresence {
    private final Map<String, Map<String, Integer>> rooms = new ConcurrentHashMap<>();

    /** @return true when this is the user's first socket in the room */
    public boolean enter(String room, String user) {
        AtomicBoolean first = new AtomicBoolean();
        rooms.compute(room, (r, users) -> {
            Map<String, Integer> u = users == null ? new ConcurrentHashMap<>() : users;
            first.set(u.merge(user, 1, Integer::sum) == 1);
            return u;
        });
        return first.get();
    }

    /** @return true when this was the user's last socket in the room */
    public boolean exit(String room, String user) {
        AtomicBoolean last = new AtomicBoolean();
        rooms.computeIfPresent(room, (r, users) -> {
            Integer before = users.get(user);
            if (before != null) {
                if (before <= 1) {
                    users.remove(user);
                    last.set(true);
                } else {
                    users.put(user, before - 1);
                }
            }
            return users.isEmpty() ? null : users;
        });
        return last.get();
    }

    public Set<String> users(String room) {
        Map<String, Integer> users = rooms.get(room);
        return users == null ? Set.of() : Set.copyOf(users.keySet());
    }
}
