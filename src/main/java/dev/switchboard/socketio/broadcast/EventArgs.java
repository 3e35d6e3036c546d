package dev.switchboard.socketio.broadcast;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.BinaryNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.switchboard.socketio.parser.SioJson;
import java.util.List;
import java.util.Set;

/**
 * Turns application arguments into packet data, and knows the event names an application may not use.
 * Accepted arguments: JsonNode, byte[] (sent as a binary attachment), String, Number, Boolean, null, and anything
 * Jackson can turn into a tree (Map, List, records).
 */
public final class EventArgs {

    /** Names the Socket.IO socket reserves for itself; never emitted, and ignored when a client sends them. */
    public static final Set<String> RESERVED = Set.of(
            "connect", "connect_error", "disconnect", "disconnecting", "newListener", "removeListener");

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private EventArgs() {
    }

    public static boolean isReserved(String event) {
        return RESERVED.contains(event);
    }

    /** @throws IllegalArgumentException for a null or reserved event name */
    public static void requireEmittable(String event) {
        if (event == null) {
            throw new IllegalArgumentException("event name is null");
        }
        if (isReserved(event)) {
            throw new IllegalArgumentException("\"" + event + "\" is a reserved event name");
        }
    }

    /** [event, args...] as the payload of an EVENT packet. */
    public static ArrayNode eventData(String event, Object... args) {
        ArrayNode data = NODES.arrayNode();
        data.add(event);
        addAll(data, args);
        return data;
    }

    /** [args...] as the payload of an ACK packet. */
    public static ArrayNode ackData(Object... args) {
        ArrayNode data = NODES.arrayNode();
        addAll(data, args);
        return data;
    }

    /** The arguments of an EVENT payload, without the event name. */
    public static List<JsonNode> argsOf(JsonNode eventData) {
        if (eventData.size() == 2) { // one argument, the usual case: no list to copy
            return List.of(eventData.get(1));
        }
        java.util.ArrayList<JsonNode> args = new java.util.ArrayList<>(Math.max(0, eventData.size() - 1));
        for (int i = 1; i < eventData.size(); i++) {
            args.add(eventData.get(i));
        }
        return List.copyOf(args);
    }

    /** The elements of an ACK payload. */
    public static List<JsonNode> elementsOf(JsonNode data) {
        if (data == null) {
            return List.of();
        }
        if (data.size() == 1) {
            return List.of(data.get(0));
        }
        java.util.ArrayList<JsonNode> args = new java.util.ArrayList<>(data.size());
        data.forEach(args::add);
        return List.copyOf(args);
    }

    public static JsonNode toJson(Object arg) {
        if (arg == null) {
            return NullNode.getInstance();
        }
        if (arg instanceof JsonNode node) {
            return node;
        }
        if (arg instanceof byte[] bytes) {
            return BinaryNode.valueOf(bytes);
        }
        if (arg instanceof String text) {
            return TextNode.valueOf(text);
        }
        return SioJson.mapper().valueToTree(arg);
    }

    private static void addAll(ArrayNode data, Object... args) {
        if (args == null) {
            data.addNull(); // emit("x", (Object[]) null) is one null argument
            return;
        }
        for (Object arg : args) {
            data.add(toJson(arg));
        }
    }
}
