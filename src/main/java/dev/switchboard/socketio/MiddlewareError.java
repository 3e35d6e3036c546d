package dev.switchboard.socketio;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.socketio.parser.SioJson;
import java.util.Objects;

/**
 * A refused connection: socket.io-client shows {@code message} as err.message and {@code data} (optional) as
 * err.data in its connect_error event.
 */
public record MiddlewareError(String message, JsonNode data) {

    public MiddlewareError {
        Objects.requireNonNull(message, "message");
    }

    public MiddlewareError(String message) {
        this(message, null);
    }

    /** The CONNECT_ERROR payload: {"message":..} plus "data" when present. */
    public ObjectNode toJson() {
        ObjectNode json = SioJson.mapper().createObjectNode();
        json.put("message", message);
        if (data != null) {
            json.set("data", data);
        }
        return json;
    }
}
