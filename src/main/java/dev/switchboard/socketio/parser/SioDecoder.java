package dev.switchboard.socketio.parser;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.BinaryNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Stateful, one per connection (not thread-safe): decodes Socket.IO v5 text packets and reassembles
 * BINARY_* packets from the binary frames that follow them.
 *
 * <p>Strict: anything the format does not allow is rejected with a {@link SioParseException}, the only
 * exception that leaves this class. After an exception any partial packet is dropped; the caller is
 * expected to close the connection.
 */
public final class SioDecoder {

    /** Event names with a meaning of their own on the receiving side; the reference parser rejects them too. */
    private static final Set<String> RESERVED_EVENTS = Set.of(
            "connect", "connect_error", "disconnect", "disconnecting", "newListener", "removeListener");

    private final SioDecoderLimits limits;
    private PartialPacket partial;

    public SioDecoder(SioDecoderLimits limits) {
        this.limits = Objects.requireNonNull(limits, "limits");
    }

    /** Returns the complete packet, or empty when binary attachments are still expected. */
    public Optional<SioPacket> decodeText(String text) throws SioParseException {
        if (partial != null) {
            reset();
            throw new SioParseException(SioParseError.UNEXPECTED_TEXT, "attachments still missing");
        }
        try {
            return parse(text);
        } catch (RuntimeException e) {
            // a bug here must still look like a bad packet to the caller, not crash its read loop
            throw internal(e);
        }
    }

    /**
     * An attachment frame; returns the complete packet once the last attachment arrived. The array is kept
     * (not copied) as the BinaryNode's content: the caller must not reuse it.
     */
    public Optional<SioPacket> decodeBinary(byte[] data) throws SioParseException {
        if (partial == null) {
            throw new SioParseException(SioParseError.UNEXPECTED_BINARY, null);
        }
        if (data == null) {
            reset();
            throw new SioParseException(SioParseError.UNEXPECTED_BINARY, "null attachment");
        }
        try {
            if (data.length > limits.maxBytes() - partial.bytes) {
                reset();
                throw new SioParseException(SioParseError.PAYLOAD_TOO_LARGE,
                        "attachments exceed " + limits.maxBytes() + " bytes");
            }
            partial.add(data);
            if (!partial.complete()) {
                return Optional.empty();
            }
            SioPacket packet = partial.assemble();
            partial = null;
            return Optional.of(packet);
        } catch (RuntimeException e) {
            reset();
            throw internal(e);
        }
    }

    public boolean awaitingAttachments() {
        return partial != null;
    }

    /** Drops partial state (connection closed). */
    public void reset() {
        partial = null;
    }

    // <type>[<attachments>-][<nsp>,][<ackId>][<JSON>]
    private Optional<SioPacket> parse(String text) throws SioParseException {
        if (text == null || text.isEmpty()) {
            throw new SioParseException(SioParseError.UNKNOWN_TYPE, "empty packet");
        }
        int len = text.length();
        char first = text.charAt(0);
        if (first < '0' || first > '6') {
            throw new SioParseException(SioParseError.UNKNOWN_TYPE, "'" + first + "'");
        }
        SioPacketType type = SioPacketType.fromCode(first - '0');
        int i = 1;

        int attachments = 0;
        if (type.isBinary()) {
            int start = i;
            long count = 0;
            while (i < len && isDigit(text.charAt(i))) {
                // saturate instead of overflowing: any value past the limit is rejected just the same
                if (count <= Integer.MAX_VALUE) {
                    count = count * 10 + (text.charAt(i) - '0');
                }
                i++;
            }
            if (i == start || i == len || text.charAt(i) != '-') {
                throw new SioParseException(SioParseError.BAD_ATTACHMENT_COUNT, "expected <digits>- after the type");
            }
            i++;
            // checked now, before any waiting, so a huge declared count costs nothing
            if (count > limits.maxAttachments()) {
                throw new SioParseException(SioParseError.TOO_MANY_ATTACHMENTS,
                        "more than " + limits.maxAttachments());
            }
            if (count == 0) {
                throw new SioParseException(SioParseError.BAD_ATTACHMENT_COUNT, "binary packet without attachments");
            }
            attachments = (int) count;
        }

        String namespace = "/";
        if (i < len && text.charAt(i) == '/') {
            int comma = text.indexOf(',', i);
            int end = comma < 0 ? len : comma;
            namespace = text.substring(i, end);
            i = comma < 0 ? len : comma + 1;
            String problem = Wire.namespaceProblem(namespace);
            if (problem != null) {
                throw new SioParseException(SioParseError.BAD_NAMESPACE, problem);
            }
        }

        long ackId = SioPacket.NO_ACK;
        if (i < len && isDigit(text.charAt(i))) {
            long id = 0;
            while (i < len && isDigit(text.charAt(i))) {
                int digit = text.charAt(i) - '0';
                if (id > (Long.MAX_VALUE - digit) / 10) {
                    throw new SioParseException(SioParseError.BAD_ACK_ID, "does not fit in a long");
                }
                id = id * 10 + digit;
                i++;
            }
            ackId = id;
        }

        JsonNode data = null;
        if (i < len) {
            data = readJson(text.substring(i));
        }

        Wire.Violation violation = Wire.dataProblem(type, data, ackId);
        if (violation != null) {
            throw new SioParseException(violation.error(), violation.detail());
        }
        if ((type == SioPacketType.EVENT || type == SioPacketType.BINARY_EVENT)
                && RESERVED_EVENTS.contains(data.get(0).textValue())) {
            throw new SioParseException(SioParseError.BAD_EVENT_NAME, "reserved event name: " + data.get(0).textValue());
        }

        if (!type.isBinary()) {
            if (type == SioPacketType.EVENT || type == SioPacketType.ACK) {
                // a placeholder in a packet without attachments can only be forged (CVE-2022-2421): were it echoed
                // next to real binary, receivers would splice another attachment into it
                findPlaceholders(data, 0, new ArrayList<>());
            }
            return Optional.of(new SioPacket(type, namespace, data, ackId));
        }
        List<Slot> slots = new ArrayList<>();
        findPlaceholders(data, attachments, slots);
        if (slots.stream().map(Slot::attachment).distinct().count() != slots.size()) {
            // clients number each binary once; repeats would let one attachment be re-sent thousands of times
            // whenever the application relays the arguments
            throw new SioParseException(SioParseError.BAD_PLACEHOLDER, "an attachment is referenced twice");
        }
        SioPacketType plain = type == SioPacketType.BINARY_EVENT ? SioPacketType.EVENT : SioPacketType.ACK;
        partial = new PartialPacket(plain, namespace, data, ackId, attachments, slots);
        return Optional.empty();
    }

    private static JsonNode readJson(String json) throws SioParseException {
        JsonNode node;
        try {
            node = SioJson.read(json);
        } catch (JsonProcessingException e) {
            throw new SioParseException(SioParseError.BAD_JSON, e.getOriginalMessage());
        }
        if (node == null || node.isMissingNode()) { // only whitespace after the header
            throw new SioParseException(SioParseError.BAD_JSON, "no JSON value");
        }
        return node;
    }

    /**
     * Records where each placeholder sits, checking its index now so that a bad packet fails before its
     * attachments are waited for. Recursion depth is bounded by Jackson's read nesting limit.
     */
    private static void findPlaceholders(JsonNode container, int attachments, List<Slot> slots)
            throws SioParseException {
        if (container instanceof ArrayNode array) {
            for (int idx = 0; idx < array.size(); idx++) {
                JsonNode child = array.get(idx);
                if (isPlaceholder(child)) {
                    slots.add(new Slot(array, null, idx, placeholderIndex(child, attachments)));
                } else {
                    findPlaceholders(child, attachments, slots);
                }
            }
        } else if (container instanceof ObjectNode object) {
            for (Map.Entry<String, JsonNode> field : object.properties()) {
                JsonNode child = field.getValue();
                if (isPlaceholder(child)) {
                    slots.add(new Slot(object, field.getKey(), -1, placeholderIndex(child, attachments)));
                } else {
                    findPlaceholders(child, attachments, slots);
                }
            }
        }
    }

    /** Same test as the reference: an object whose _placeholder is the boolean true. */
    private static boolean isPlaceholder(JsonNode node) {
        if (!node.isObject()) {
            return false;
        }
        JsonNode flag = node.get(Binaries.PLACEHOLDER_KEY);
        return flag != null && flag.isBoolean() && flag.booleanValue();
    }

    private static int placeholderIndex(JsonNode placeholder, int attachments) throws SioParseException {
        JsonNode num = placeholder.get(Binaries.NUM_KEY);
        // integral only: 1.5 or "1" would index nothing
        if (num == null || !num.isIntegralNumber() || !num.canConvertToInt()) {
            throw new SioParseException(SioParseError.BAD_PLACEHOLDER, "num must be an integer");
        }
        int n = num.intValue();
        if (n < 0 || n >= attachments) {
            throw new SioParseException(SioParseError.BAD_PLACEHOLDER,
                    "num " + n + " outside [0," + attachments + ")");
        }
        return n;
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    private static SioParseException internal(RuntimeException e) {
        SioParseException wrapped = new SioParseException(SioParseError.BAD_PAYLOAD, "unexpected: " + e);
        wrapped.initCause(e);
        return wrapped;
    }

    /** Where a placeholder sits in its parent: a field of an object, or an index of an array. */
    private record Slot(JsonNode parent, String field, int index, int attachment) {

        void fill(BinaryNode value) {
            if (parent instanceof ObjectNode object) {
                object.set(field, value);
            } else {
                ((ArrayNode) parent).set(index, value);
            }
        }
    }

    /** A BINARY_* packet whose text arrived, waiting for its attachments. */
    private static final class PartialPacket {
        private final SioPacketType type;
        private final String namespace;
        private final JsonNode data;
        private final long ackId;
        private final int expected;
        private final List<Slot> slots;
        // grows with frames actually received, never sized from the declared count
        private final List<byte[]> received = new ArrayList<>();
        private long bytes;

        PartialPacket(SioPacketType type, String namespace, JsonNode data, long ackId, int expected, List<Slot> slots) {
            this.type = type;
            this.namespace = namespace;
            this.data = data;
            this.ackId = ackId;
            this.expected = expected;
            this.slots = slots;
        }

        void add(byte[] attachment) {
            received.add(attachment);
            bytes += attachment.length;
        }

        boolean complete() {
            return received.size() == expected;
        }

        SioPacket assemble() {
            // the tree was parsed by us, so filling it in place mutates nobody else's data
            for (Slot slot : slots) {
                slot.fill(new BinaryNode(received.get(slot.attachment())));
            }
            return new SioPacket(type, namespace, data, ackId);
        }
    }
}
