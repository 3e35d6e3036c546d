package dev.switchboard.socketio;

import com.fasterxml.jackson.databind.JsonNode;

/** Decides whether a dynamic namespace with this name may be created for a client with this CONNECT payload. */
@FunctionalInterface
public interface NamespaceMatcher {
    boolean matches(String name, JsonNode auth);
}
