package dev.switchboard.socketio.parser;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.BinaryNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;

/** Moving binary parts out of a tree (placeholders + attachment list) for the encoder. */
final class Binaries {

    static final String PLACEHOLDER_KEY = "_placeholder";
    static final String NUM_KEY = "num";

    /** Same bound as Jackson's default write nesting limit; deeper trees could not be written anyway. */
    private static final int MAX_DEPTH = 1000;
    /** How deep {@link #containsBinary} recurses before it goes on with a heap stack. */
    private static final int RECURSION_DEPTH = 64;

    private Binaries() {
    }

    /**
     * Whether any node of the tree is a BinaryNode. Recursive (no allocation) for the usual shallow tree; deeper than
     * {@link #RECURSION_DEPTH} it goes on with a stack of its own, so that no tree depth can overflow the thread's.
     */
    static boolean containsBinary(JsonNode root) {
        return root != null && containsBinary(root, 0);
    }

    private static boolean containsBinary(JsonNode node, int depth) {
        if (node.isBinary()) {
            return true;
        }
        if (!node.isContainerNode() || node.isEmpty()) {
            return false;
        }
        if (depth == RECURSION_DEPTH) {
            return containsBinaryIteratively(node);
        }
        for (JsonNode child : node) {
            if (containsBinary(child, depth + 1)) {
                return true;
            }
        }
        return false;
    }

    private static boolean containsBinaryIteratively(JsonNode root) {
        Deque<JsonNode> todo = new ArrayDeque<>();
        todo.push(root);
        while (!todo.isEmpty()) {
            JsonNode node = todo.pop();
            if (node.isBinary()) {
                return true;
            }
            if (node.isContainerNode()) {
                for (JsonNode child : node) {
                    todo.push(child);
                }
            }
        }
        return false;
    }

    /**
     * A copy of the tree with each BinaryNode replaced by {"_placeholder":true,"num":N}, N counting in document
     * order (depth first, arrays by index, objects by key order); the bytes are appended to buffers in that order.
     * Containers are copied and value nodes shared, so the caller's tree is never modified.
     */
    static JsonNode deconstruct(JsonNode root, List<byte[]> buffers) {
        return deconstruct(root, buffers, JsonNodeFactory.instance, 0);
    }

    private static JsonNode deconstruct(JsonNode node, List<byte[]> buffers, JsonNodeFactory nodes, int depth) {
        if (depth > MAX_DEPTH) {
            throw new IllegalArgumentException("packet data nested deeper than " + MAX_DEPTH);
        }
        if (node instanceof BinaryNode binary) {
            ObjectNode placeholder = nodes.objectNode();
            placeholder.put(PLACEHOLDER_KEY, true);
            placeholder.put(NUM_KEY, buffers.size());
            buffers.add(binary.binaryValue());
            return placeholder;
        }
        if (node.isArray()) {
            ArrayNode copy = nodes.arrayNode(node.size());
            for (JsonNode child : node) {
                copy.add(deconstruct(child, buffers, nodes, depth + 1));
            }
            return copy;
        }
        if (node.isObject()) {
            ObjectNode copy = nodes.objectNode();
            for (Map.Entry<String, JsonNode> field : node.properties()) {
                copy.set(field.getKey(), deconstruct(field.getValue(), buffers, nodes, depth + 1));
            }
            return copy;
        }
        return node; // value nodes are immutable, sharing them is safe
    }
}
