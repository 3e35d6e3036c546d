package dev.switchboard.socketio.parser;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamWriteFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.cfg.JsonNodeFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.BigIntegerNode;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.LongNode;
import com.fasterxml.jackson.databind.node.ValueNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.math.BigDecimal;
import java.math.BigInteger;

/**
 * The one shared ObjectMapper for Socket.IO payloads, configured so that JSON read and written back is
 * unchanged in value and a fixed point after one pass: compact output, key order kept, integers stay integers (big
 * ones too), decimals kept digit for digit, and nothing accepted after the JSON value.
 *
 * <p>Numbers in exponent form are written as {@code JSON.stringify} writes them where that is short: an integral
 * value of at most 21 digits ({@code 5e7}) becomes the integer {@code 50000000} already when read, so that reading
 * what was written gives the same tree; {@code 1.5E-3} is written {@code 0.0015}. Beyond that ({@code 1e400},
 * {@code 1e-400}) the exponent form is kept: a plain form would let a few bytes in become megabytes out.
 */
public final class SioJson {

    private static final ObjectMapper MAPPER = JsonMapper.builder()
            // keep 601234.567 exactly: never go through double, never strip or add zeros
            .nodeFactory(ExactNumbers.INSTANCE)
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .enable(JsonNodeFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .disable(JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES)
            // BigDecimal's own form: plain unless the exponent is out of JSON.stringify's range (see ExactNumbers)
            .disable(StreamWriteFeature.WRITE_BIGDECIMAL_AS_PLAIN)
            // a packet is exactly one JSON value; "[1]x" is malformed, as with JSON.parse
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            // documents must round-trip as sent: no sorting, no indentation
            .disable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
            .disable(JsonNodeFeature.WRITE_PROPERTIES_SORTED)
            .disable(SerializationFeature.INDENT_OUTPUT)
            .build();

    private SioJson() {
    }

    /** Thread-safe once configured; callers must not reconfigure it. */
    public static ObjectMapper mapper() {
        return MAPPER;
    }

    /** Compact JSON text of a tree. BinaryNodes would be written as base64; the encoder never lets them reach here. */
    public static String write(JsonNode node) {
        try {
            return MAPPER.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            // only reachable with exotic nodes (unserializable POJONode, nesting over Jackson's limit)
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Appends the compact JSON text of a tree to {@code out}: what {@link #write} returns, without the intermediate
     * string (a packet's text is built around it).
     */
    public static void writeTo(StringBuilder out, JsonNode node) {
        try {
            MAPPER.writeValue(new StringBuilderWriter(out), node);
        } catch (IOException e) {
            // the writer cannot fail; only exotic nodes can (see write)
            throw new UncheckedIOException(e);
        }
    }

    /** A Writer onto a StringBuilder, unsynchronised (StringWriter's buffer is a StringBuffer). */
    private static final class StringBuilderWriter extends Writer {
        private final StringBuilder out;

        StringBuilderWriter(StringBuilder out) {
            this.out = out;
        }

        @Override
        public void write(char[] chars, int off, int len) {
            out.append(chars, off, len);
        }

        @Override
        public void write(String str, int off, int len) {
            out.append(str, off, off + len);
        }

        @Override
        public void write(int c) {
            out.append((char) c);
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    }

    /** Parses exactly one JSON value (leading/trailing whitespace allowed, anything else after it fails). */
    public static JsonNode read(String json) throws JsonProcessingException {
        return MAPPER.readTree(json);
    }

    /**
     * Decimals exactly as sent, except that an integral value written with an exponent (at most
     * {@value #MAX_PLAIN_INTEGER_DIGITS} digits long when the exponent is positive) is an integer node, as it would
     * be had it been sent plain.
     */
    static final class ExactNumbers extends JsonNodeFactory {

        /** {@code JSON.stringify} writes integers below 1e21 in full, from 1e21 with an exponent. */
        static final int MAX_PLAIN_INTEGER_DIGITS = 21;
        static final ExactNumbers INSTANCE = new ExactNumbers();

        private ExactNumbers() {
            super(true);
        }

        @Override
        public ValueNode numberNode(BigDecimal value) {
            if (value == null || value.scale() > 0) {
                return super.numberNode(value);
            }
            // scale 0 ("70.0e1"): written plain anyway, so read back as an integer: make it one now. Scale < 0
            // ("5e7"): precision - scale is its digit count, computed without expanding it; written with its
            // exponent when longer than JSON.stringify would write it plain, and then read back as this same decimal
            if (value.scale() < 0 && (long) value.precision() - value.scale() > MAX_PLAIN_INTEGER_DIGITS) {
                return super.numberNode(value);
            }
            BigInteger integer = value.toBigIntegerExact();
            if (integer.bitLength() < Integer.SIZE) {
                return IntNode.valueOf(integer.intValue());
            }
            if (integer.bitLength() < Long.SIZE) {
                return LongNode.valueOf(integer.longValue());
            }
            return BigIntegerNode.valueOf(integer);
        }
    }
}
