package dev.switchboard.socketio.parser;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamWriteFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.cfg.JsonNodeFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.io.UncheckedIOException;

/**
 * The one shared ObjectMapper for Socket.IO payloads, configured so that JSON read and written back is
 * unchanged: compact output, key order kept, integers stay integers (big ones too), decimals kept
 * digit for digit and written plain, and nothing accepted after the JSON value.
 */
public final class SioJson {

    private static final ObjectMapper MAPPER = JsonMapper.builder()
            // keep 601234.567 exactly: never go through double, never strip or add zeros
            .nodeFactory(JsonNodeFactory.withExactBigDecimals(true))
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .enable(JsonNodeFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .disable(JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES)
            .enable(StreamWriteFeature.WRITE_BIGDECIMAL_AS_PLAIN)
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

    /** Parses exactly one JSON value (leading/trailing whitespace allowed, anything else after it fails). */
    public static JsonNode read(String json) throws JsonProcessingException {
        return MAPPER.readTree(json);
    }
}
