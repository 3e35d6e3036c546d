package dev.switchboard.socketio;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/** Sees every event of a socket (incoming with onAny, outgoing with onAnyOutgoing). */
@FunctionalInterface
public interface AnyListener {
    void onEvent(String event, List<JsonNode> args);
}
