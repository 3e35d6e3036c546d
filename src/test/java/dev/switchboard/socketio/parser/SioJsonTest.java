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

    @ParameterizedTest
    @ValueSource(strings = {"5E+7", "5e7", "2.50E+3", "1e20", "1e21", "1e22", "1e400", "1E-400", "1.5E-3", "0e5",
            "-0e0", "2.0e0", "-12.5e-7", "1e999999999", "-1e-999999999", "9.99e+20",
            "-7777777777777777777777777777777777777777777777.0e1", "123456789012345678901234.5e1"})
    void exponentFormsAreAFixedPoint(String number) throws JsonProcessingException {
        // the fuzzer found 5E+7 read as a decimal, written 50000000 and read back as an integer: a different tree
        JsonNode first = SioJson.read("[" + number + "]");
        String written = SioJson.write(first);
        assertThat(SioJson.read(written)).isEqualTo(first);
        assertThat(SioJson.write(SioJson.read(written))).isEqualTo(written);
        assertThat(written.length()).as("a few bytes in never become many out").isLessThanOrEqualTo(Math.max(number.length(), 22) + 2);
    }

    @Test
    void exponentFormsAreWrittenAsJsonStringifyWritesThem() throws JsonProcessingException {
        assertThat(SioJson.write(SioJson.read("[5E+7,2.50E+3,1e20,1e21,0e5,-0e0]")))
                .isEqualTo("[50000000,2500,100000000000000000000,1E+21,0,0]");
        assertThat(SioJson.read("[5e7]").get(0).isInt()).isTrue();
        assertThat(SioJson.read("[1e20]").get(0).isBigInteger()).isTrue();
        assertThat(SioJson.write(SioJson.read("[1e400,1E-400,1e-7,1e-6]"))).isEqualTo("[1E+400,1E-400,1E-7,0.000001]");
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
