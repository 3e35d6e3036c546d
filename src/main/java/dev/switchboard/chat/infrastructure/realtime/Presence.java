package dev.switchboard.chat.infrastructure.realtime;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Cluster-wide presence decided from the sockets fetchSockets reports (every node's, through the adapter), so that
 * it needs no state of its own: a user is online in a room while any node holds one of their sockets in it, and a
 * crashed node's sockets drop out as soon as the adapter stops counting that node (its heartbeat timeout).
 *
 * <p>user_joined goes out from the socket that entered the room first (ties broken by socket id); user_left from a
 * socket that leaves when no other socket of the user is left in the room. Under a race of two sockets of one user on
 * two nodes at the same moment an announcement may go out twice; it is never lost.
 */
final class Presence {
    static final String USER_ID = "user_id";
    static final String ROOMS = "rooms";
    /** The per-user room every chat socket joins, so that a user's sockets on every node can be fetched at once. */
    static final String USER_ROOM_PREFIX = "chat-user:";

    private Presence() {
    }

    /** One chat socket as fetchSockets reports it: its id, user, and rooms with the time it entered each. */
    record Holder(String socketId, String userId, Map<String, Long> rooms) {
    }

    static String userRoom(String userId) {
        return USER_ROOM_PREFIX + userId;
    }

    /**
     * The chat view of a socket's data: the live {@link ChatSocketSession} of a local socket, or its JSON view as a
     * map from another node. Empty for sockets that are not chat sockets.
     */
    static Optional<Holder> holder(String socketId, Map<String, Object> data) {
        Object session = data == null ? null : data.get(ChatSocketSession.DATA_KEY);
        Map<?, ?> view = switch (session) {
            case ChatSocketSession s -> s.json();
            case Map<?, ?> m -> m;
            case null, default -> null;
        };
        if (view == null || !(view.get(USER_ID) instanceof String user) || !(view.get(ROOMS) instanceof Map<?, ?> r)) {
            return Optional.empty();
        }
        Map<String, Long> rooms = new java.util.HashMap<>();
        r.forEach((room, since) -> {
            if (room instanceof String name && since instanceof Number n) {
                rooms.put(name, n.longValue());
            }
        });
        return Optional.of(new Holder(socketId, user, rooms));
    }

    /** True when no other socket of the user entered the room before this one (the one that announces). */
    static boolean firstIn(List<Holder> sockets, String userId, String socketId, String room, long since) {
        for (Holder h : sockets) {
            if (h.socketId().equals(socketId) || !h.userId().equals(userId)) {
                continue;
            }
            Long other = h.rooms().get(room);
            if (other != null && (other < since || other == since && h.socketId().compareTo(socketId) < 0)) {
                return false;
            }
        }
        return true;
    }

    /** True when no socket of the user but this one is in the room. */
    static boolean noneLeftIn(List<Holder> sockets, String userId, String socketId, String room) {
        return sockets.stream().noneMatch(h -> !h.socketId().equals(socketId) && h.userId().equals(userId)
                && h.rooms().containsKey(room));
    }

    /** User ids with a socket in the room, sorted. */
    static Set<String> usersIn(List<Holder> sockets, String room) {
        Set<String> users = new TreeSet<>();
        for (Holder h : sockets) {
            if (h.rooms().containsKey(room)) {
                users.add(h.userId());
            }
        }
        return users;
    }

    static List<Holder> holders(List<dev.switchboard.socketio.broadcast.RemoteSocket> sockets) {
        List<Holder> out = new ArrayList<>();
        for (var s : sockets) {
            holder(s.id(), s.data()).ifPresent(out::add);
        }
        return out;
    }
}
