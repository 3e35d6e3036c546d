package dev.switchboard.socketio;

/** Answers a client's event; only the first call sends, later calls are ignored. */
@FunctionalInterface
public interface Ack {
    /** Arguments as for {@link Socket#emit}: JsonNode, byte[], String, Number, Boolean, Map, List, records. */
    void send(Object... args);
}
