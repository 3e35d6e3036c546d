package dev.switchboard.socketio;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.function.Consumer;

/**
 * Runs for each incoming event of a socket before its handlers. {@code packet} is [event name, args...];
 * call {@code next.accept(null)} to go on, or {@code next.accept(error)} to drop the event (the socket's error
 * listeners get the error). next may be called later, from any thread.
 */
@FunctionalInterface
public interface PacketMiddleware {
    void handle(List<JsonNode> packet, Consumer<Exception> next);
}
