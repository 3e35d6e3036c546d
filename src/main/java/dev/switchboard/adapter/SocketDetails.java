package dev.switchboard.adapter;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * What fetchSockets() reports about one socket, local or on another node.
 *
 * @param handshake the socket's handshake as JSON (headers, query, auth, address, ...)
 * @param data      the socket's application data (live map for a local socket, a copy for a remote one)
 */
public record SocketDetails(String id, JsonNode handshake, Set<String> rooms, Map<String, Object> data) {
    public SocketDetails {
        Objects.requireNonNull(id, "id");
        rooms = Set.copyOf(rooms);
        Objects.requireNonNull(data, "data");
    }
}
