package dev.switchboard.socketio.broadcast;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.concurrent.TimeoutException;

/** An emit with acknowledgement got no (or not every) response in time; holds the responses that did arrive. */
public final class AckTimeoutException extends TimeoutException {

    private final transient List<JsonNode> responses;

    public AckTimeoutException(List<JsonNode> responses) {
        super("operation has timed out");
        this.responses = List.copyOf(responses);
    }

    public AckTimeoutException() {
        this(List.of());
    }

    /** For a broadcast: the first argument of each response received before the timeout. */
    public List<JsonNode> responses() {
        return responses;
    }
}
