package dev.switchboard.socketio;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/** Handles one event from a client. {@code ack} is null when the client asked for no acknowledgement. */
@FunctionalInterface
public interface EventHandler {
    void handle(List<JsonNode> args, Ack ack);
}
