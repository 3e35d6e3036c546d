package dev.switchboard.adapter;

import java.util.Map;
import java.util.Objects;
import java.util.Set;

/** A disconnected socket kept for connection state recovery: public id, private id, rooms and data. */
public record PersistedSession(String sid, String pid, Set<String> rooms, Map<String, Object> data) {
    public PersistedSession {
        Objects.requireNonNull(sid, "sid");
        Objects.requireNonNull(pid, "pid");
        rooms = Set.copyOf(rooms);
        data = Map.copyOf(data);
    }
}
