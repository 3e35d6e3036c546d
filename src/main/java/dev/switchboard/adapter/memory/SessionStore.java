package dev.switchboard.adapter.memory;

import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.switchboard.adapter.BroadcastOptions;
import dev.switchboard.adapter.PersistedSession;
import dev.switchboard.adapter.RestoredSession;
import java.security.SecureRandom;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.LongSupplier;

/**
 * Connection state recovery for one namespace on one node: the sessions of disconnected sockets and a log of
 * broadcast events, each with an offset. Both are pruned lazily (on every call) once older than the recovery
 * window, and the log is also capped in length, so memory stays bounded without a timer.
 */
final class SessionStore {

    static final int MAX_PACKETS = 100_000;

    private final long windowMillis;
    private final LongSupplier clock;
    private final String offsetPrefix;
    private final Map<String, Stored> sessions = new HashMap<>();
    private final Deque<LoggedPacket> packets = new ArrayDeque<>();
    private long sequence;

    SessionStore(long windowMillis, LongSupplier clock) {
        this.windowMillis = windowMillis;
        this.clock = clock;
        byte[] random = new byte[4];
        new SecureRandom().nextBytes(random);
        this.offsetPrefix = Integer.toUnsignedString(java.nio.ByteBuffer.wrap(random).getInt(), 36) + "-";
    }

    /** Logs an event payload and returns it with its offset appended as the last argument. */
    synchronized ArrayNode record(ArrayNode data, BroadcastOptions options) {
        long now = clock.getAsLong();
        prune(now);
        String offset = offsetPrefix + Long.toString(sequence++, 36);
        ArrayNode withOffset = data.deepCopy();
        withOffset.add(offset);
        packets.addLast(new LoggedPacket(offset, now, withOffset, options));
        if (packets.size() > MAX_PACKETS) {
            packets.removeFirst();
        }
        return withOffset;
    }

    synchronized void persist(PersistedSession session) {
        long now = clock.getAsLong();
        prune(now);
        sessions.put(session.pid(), new Stored(session, now));
    }

    /** The session and the events it missed, or empty when the session expired or the offset is unknown. */
    synchronized Optional<RestoredSession> restore(String pid, String offset) {
        prune(clock.getAsLong());
        Stored stored = sessions.remove(pid);
        if (stored == null) {
            return Optional.empty();
        }
        List<ArrayNode> missed = new ArrayList<>();
        boolean found = false;
        for (LoggedPacket packet : packets) {
            if (found) {
                if (packet.options().matches(stored.session().rooms())) {
                    missed.add(packet.data());
                }
            } else if (packet.offset().equals(offset)) {
                found = true;
            }
        }
        if (!found) {
            return Optional.empty(); // the offset is too old (or foreign): the client starts afresh
        }
        return Optional.of(new RestoredSession(stored.session(), missed));
    }

    synchronized int loggedPackets() {
        return packets.size();
    }

    private void prune(long now) {
        long threshold = now - windowMillis;
        sessions.values().removeIf(s -> s.disconnectedAt() < threshold);
        Iterator<LoggedPacket> it = packets.iterator();
        while (it.hasNext() && it.next().emittedAt() < threshold) {
            it.remove();
        }
    }

    private record Stored(PersistedSession session, long disconnectedAt) { }

    private record LoggedPacket(String offset, long emittedAt, ArrayNode data, BroadcastOptions options) { }
}
