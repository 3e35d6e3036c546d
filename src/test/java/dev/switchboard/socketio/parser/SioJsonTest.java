package dev.switchboard.socketio.parser;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class SioJsonTest {

    @ParameterizedTest
    @ValueSource(strings = {
            "{\"z\":1,\"a\":2,\"m\":{\"y\":true,\"b\":null}}", // key order kept
            "[1,-7,0]",                                        // integers stay integers
            "[1.0,2.50,0.1]",                                  // decimals kept digit for digit
            "601234.567",
            "[12345678901234567890123456789,-98765432109876543210]", // big integers
            "[\"\\u00e9t\\u00e9\",\"a\\\"b\\\\c\\n\"]",
            "[]",
            "{}"
    })
    void roundTripsExactly(String json) throws JsonProcessingException {
        assertThat(SioJson.write(SioJson.read(json))).isEqualTo(json.replace("\\u00e9", "é"));
    }

    @Test
    void integerIsNeverWrittenAsFloat() throws JsonProcessingException {
        JsonNode node = SioJson.read("[1]");
        assertThat(node.get(0).isIntegralNumber()).isTrue();
        assertThat(SioJson.write(node)).isEqualTo("[1]");
    }

    @Test
    void floatIsKeptExactly() throws JsonProcessingException {
        JsonNode node = SioJson.read("601234.567");
        assertThat(node.isBigDecimal()).isTrue();
        assertThat(SioJson.write(node)).isEqualTo("601234.567");
    }

    @Test
    void exponentIsWrittenPlain() throws JsonProcessingException {
        assertThat(SioJson.write(SioJson.read("[1e5,1.5E-3]"))).isEqualTo("[100000,0.0015]");
    }

    @Test
    void outputIsCompact() throws JsonProcessingException {
        assertThat(SioJson.write(SioJson.read("{ \"a\" : [ 1 , 2 ] }"))).isEqualTo("{\"a\":[1,2]}");
    }

    @Test
    void trailingTokensFail() {
        assertThatThrownBy(() -> SioJson.read("[1] x")).isInstanceOf(JsonProcessingException.class);
        assertThatThrownBy(() -> SioJson.read("{}{}")).isInstanceOf(JsonProcessingException.class);
    }

    @Test
    void sharesOneMapper() {
        assertThat(SioJson.mapper()).isSameAs(SioJson.mapper());
    }
}
