package dev.switchboard.adapter;

import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.Objects;
import java.util.Set;

/**
 * Who a broadcast reaches: the sockets in any of {@code rooms} (every socket when empty), minus the sockets in any
 * of {@code except}. Sets are copied and keep their order.
 */
public record BroadcastOptions(Set<String> rooms, Set<String> except, BroadcastFlags flags) {

    public BroadcastOptions {
        rooms = copy(rooms);
        except = copy(except);
        flags = flags == null ? BroadcastFlags.NONE : flags;
    }

    /** Every socket of the namespace. */
    public static BroadcastOptions all() {
        return new BroadcastOptions(Set.of(), Set.of(), BroadcastFlags.NONE);
    }

    /** Exactly one socket (its own-id room). */
    public static BroadcastOptions socket(String socketId) {
        return new BroadcastOptions(Set.of(socketId), Set.of(), BroadcastFlags.NONE);
    }

    /** True when a socket in {@code socketRooms} is a recipient (used to replay persisted packets). */
    public boolean matches(Collection<String> socketRooms) {
        boolean included = rooms.isEmpty() || socketRooms.stream().anyMatch(rooms::contains);
        boolean excluded = socketRooms.stream().anyMatch(except::contains);
        return included && !excluded;
    }

    private static Set<String> copy(Set<String> in) {
        if (in == null || in.isEmpty()) {
            return Set.of();
        }
        for (String room : in) {
            Objects.requireNonNull(room, "room");
        }
        return Collections.unmodifiableSet(new LinkedHashSet<>(in));
    }
}
