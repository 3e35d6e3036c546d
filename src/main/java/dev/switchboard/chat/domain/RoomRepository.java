package dev.switchboard.chat.domain;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Rooms; called inside a transaction. */
public interface RoomRepository {
    Optional<Room> find(String name);

    /** All rooms, by name. */
    List<Room> all();

    /** Stores a new room; a name already taken fails with the database's unique violation. */
    void add(Room room);

    /** Member count per room name (rooms without members are absent). */
    Map<String, Long> memberCounts();

    long memberCount(String name);
}
