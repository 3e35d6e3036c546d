package dev.switchboard.adapter;

import com.fasterxml.jackson.databind.node.ArrayNode;
import java.util.List;
import java.util.Objects;

/**
 * A session found again on reconnection, with the EVENT payloads ([name, args..., offset]) it missed, oldest first.
 */
public record RestoredSession(PersistedSession session, List<ArrayNode> missedPackets) {
    public RestoredSession {
        Objects.requireNonNull(session, "session");
        missedPackets = List.copyOf(missedPackets);
    }
}
