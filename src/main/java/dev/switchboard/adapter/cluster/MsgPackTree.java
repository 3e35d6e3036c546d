package dev.switchboard.adapter.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.util.Iterator;
import java.util.Map;
import org.msgpack.core.MessageBufferPacker;
import org.msgpack.core.MessageFormat;
import org.msgpack.core.MessagePack;
import org.msgpack.core.MessagePacker;
import org.msgpack.core.MessageUnpacker;

/**
 * MessagePack to and from Jackson trees, as the reference adapter's {@code notepack.io} writes it: maps with string
 * keys, integers in the smallest format, floats as float64, binary as bin (a {@code BinaryNode}), and
 * {@code undefined} (an ext) read as null. Never Java serialization.
 */
final class MsgPackTree {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    static final int MAX_DEPTH = 64;

    private MsgPackTree() {
    }

    static byte[] write(JsonNode node) {
        try (MessageBufferPacker packer = MessagePack.newDefaultBufferPacker()) {
            pack(packer, node, 0);
            return packer.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static JsonNode read(byte[] bytes) throws IOException {
        try (MessageUnpacker unpacker = MessagePack.newDefaultUnpacker(bytes)) {
            JsonNode node = unpack(unpacker, 0);
            if (unpacker.hasNext()) {
                throw new IOException("trailing bytes after the msgpack value");
            }
            return node;
        } catch (RuntimeException e) {
            throw new IOException("malformed msgpack: " + e.getMessage(), e);
        }
    }

    private static void pack(MessagePacker p, JsonNode node, int depth) throws IOException {
        if (depth > MAX_DEPTH) {
            throw new IOException("nesting deeper than " + MAX_DEPTH);
        }
        if (node == null || node.isNull() || node.isMissingNode()) {
            p.packNil();
        } else if (node.isBoolean()) {
            p.packBoolean(node.booleanValue());
        } else if (node.isIntegralNumber()) {
            if (node.canConvertToLong()) {
                p.packLong(node.longValue());
            } else {
                p.packBigInteger(node.bigIntegerValue());
            }
        } else if (node.isNumber()) {
            p.packDouble(node.doubleValue()); // JavaScript numbers are float64
        } else if (node.isTextual()) {
            p.packString(node.textValue());
        } else if (node.isBinary()) {
            byte[] data = node.binaryValue();
            p.packBinaryHeader(data.length);
            p.writePayload(data);
        } else if (node.isArray()) {
            p.packArrayHeader(node.size());
            for (JsonNode item : node) {
                pack(p, item, depth + 1);
            }
        } else if (node.isObject()) {
            p.packMapHeader(node.size());
            Iterator<Map.Entry<String, JsonNode>> fields = node.fields();
            while (fields.hasNext()) {
                Map.Entry<String, JsonNode> field = fields.next();
                p.packString(field.getKey());
                pack(p, field.getValue(), depth + 1);
            }
        } else {
            p.packString(node.asText());
        }
    }

    private static JsonNode unpack(MessageUnpacker u, int depth) throws IOException {
        if (depth > MAX_DEPTH) {
            throw new IOException("nesting deeper than " + MAX_DEPTH);
        }
        MessageFormat format = u.getNextFormat();
        switch (format.getValueType()) {
            case NIL:
                u.unpackNil();
                return NODES.nullNode();
            case BOOLEAN:
                return NODES.booleanNode(u.unpackBoolean());
            case INTEGER:
                if (format == MessageFormat.UINT64) {
                    BigInteger big = u.unpackBigInteger();
                    return big.bitLength() < 64 ? NODES.numberNode(big.longValue()) : NODES.numberNode(big);
                }
                long value = u.unpackLong();
                return value == (int) value ? NODES.numberNode((int) value) : NODES.numberNode(value);
            case FLOAT:
                double d = u.unpackDouble();
                // JavaScript has one number type: a whole float64 was an integer on the sending side
                if (d == Math.rint(d) && !Double.isInfinite(d) && Math.abs(d) < 9.007199254740992E15) {
                    long l = (long) d;
                    return l == (int) l ? NODES.numberNode((int) l) : NODES.numberNode(l);
                }
                return Double.isFinite(d) ? NODES.numberNode(java.math.BigDecimal.valueOf(d)) : NODES.nullNode();
            case STRING:
                return NODES.textNode(u.unpackString());
            case BINARY: {
                int length = u.unpackBinaryHeader();
                return NODES.binaryNode(u.readPayload(length));
            }
            case ARRAY: {
                int size = u.unpackArrayHeader();
                ArrayNode array = NODES.arrayNode(Math.min(size, 1024));
                for (int i = 0; i < size; i++) {
                    array.add(unpack(u, depth + 1));
                }
                return array;
            }
            case MAP: {
                int size = u.unpackMapHeader();
                ObjectNode object = NODES.objectNode();
                for (int i = 0; i < size; i++) {
                    JsonNode key = unpack(u, depth + 1);
                    object.set(key.isTextual() ? key.textValue() : key.toString(), unpack(u, depth + 1));
                }
                return object;
            }
            case EXTENSION:
            default:
                u.skipValue(); // notepack's undefined and dates: nothing JSON can carry
                return NODES.nullNode();
        }
    }
}
