package dev.switchboard.container;

import dev.switchboard.engineio.transport.HttpRequestInfo;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Supplier;

import static org.assertj.core.api.Assertions.assertThat;

class RequestInfosTest {
    /** Headers as a client sent them: names in any case, one name possibly twice. */
    private final Map<String, List<String>> sent = new LinkedHashMap<>();
    private boolean namesAsked;

    private final Supplier<Iterable<String>> names = () -> {
        namesAsked = true;
        return new ArrayList<>(sent.keySet());
    };
    private final Function<String, Iterable<String>> values = name -> sent.entrySet().stream()
            .filter(e -> e.getKey().equalsIgnoreCase(name)).flatMap(e -> e.getValue().stream()).toList();

    RequestInfosTest() {
        sent.put("Host", List.of("chat.example"));
        sent.put("Origin", List.of("https://chat.example"));
        sent.put("Accept-Encoding", List.of("gzip"));
        sent.put("Cookie", List.of("session=abc"));
        sent.put("User-Agent", List.of("test"));
        sent.put("X-Forwarded-For", List.of("203.0.113.9"));
        sent.put("x-forwarded-for", List.of("198.51.100.7"));
    }

    private HttpRequestInfo polling(String query, ClientAddresses addresses) {
        return RequestInfos.polling("GET", names, values, query, "10.0.0.1", false, "/socket.io/?" + query, addresses);
    }

    @Test
    void aHandshakeKeepsEveryHeaderForTheApplication() {
        HttpRequestInfo info = polling("EIO=4&transport=polling", ClientAddresses.PEER_ONLY);
        assertThat(info.headers().keySet()).containsExactlyInAnyOrder("host", "origin", "accept-encoding", "cookie",
                "user-agent", "x-forwarded-for");
        assertThat(info.headers().get("x-forwarded-for")).containsExactly("203.0.113.9", "198.51.100.7");
        assertThat(info.header("Cookie")).isEqualTo("session=abc");
    }

    @Test
    void aSessionsRequestCarriesOnlyWhatTheEngineReads() {
        HttpRequestInfo info = polling("EIO=4&transport=polling&sid=abc", ClientAddresses.PEER_ONLY);
        assertThat(namesAsked).as("every header name listed").isFalse();
        assertThat(info.headers().keySet()).containsExactlyInAnyOrder("host", "origin", "accept-encoding",
                "x-forwarded-for");
        assertThat(info.headers().keySet()).allMatch(n -> n.equals(n.toLowerCase(Locale.ROOT)));
        assertThat(info.header("origin")).isEqualTo("https://chat.example");
        assertThat(info.header("cookie")).isNull();
        assertThat(info.query("sid")).isEqualTo("abc");
        assertThat(HttpRequestInfo.SESSION_HEADERS).contains("origin", "host", "accept-encoding",
                "access-control-request-headers");
    }

    @Test
    void aSessionsRequestStillFindsTheClientBehindATrustedProxy() {
        ClientAddresses behindProxy = new ClientAddresses(Set.of("10.0.0.1"));
        assertThat(polling("EIO=4&transport=polling&sid=abc", behindProxy).remoteAddress()).isEqualTo("198.51.100.7");
        assertThat(polling("EIO=4&transport=polling&sid=abc", ClientAddresses.PEER_ONLY).remoteAddress())
                .isEqualTo("10.0.0.1");
    }

    @Test
    void headersTheRequestLacksAreAbsentNotEmpty() {
        sent.clear();
        HttpRequestInfo info = polling("EIO=4&transport=polling&sid=abc", ClientAddresses.PEER_ONLY);
        assertThat(info.headers()).isEmpty();
        assertThat(info.header("origin")).isNull();
    }

    @Test
    void theQueryIsParsedAsTheReferenceDoes() {
        assertThat(RequestInfos.parseQuery("EIO=4&transport=polling&sid=abc&t=P1x"))
                .containsExactlyInAnyOrderEntriesOf(Map.of("EIO", "4", "transport", "polling", "sid", "abc", "t", "P1x"));
        // empty pairs skipped, a name without '=' has the empty value, the first of a repeated name wins
        assertThat(RequestInfos.parseQuery("&&a&b=&c=1&c=2&")).containsExactlyInAnyOrderEntriesOf(
                Map.of("a", "", "b", "", "c", "1"));
        // escapes and '+' decoded; '=' inside a value kept; a malformed escape leaves the raw text
        assertThat(RequestInfos.parseQuery("n%20a=x+y%2Bz&k=a=b&bad=%zz")).containsExactlyInAnyOrderEntriesOf(
                Map.of("n a", "x y+z", "k", "a=b", "bad", "%zz"));
        assertThat(RequestInfos.parseQuery("")).isEmpty();
        assertThat(RequestInfos.parseQuery(null)).isEmpty();
        assertThat(RequestInfos.parseQuery("=v")).containsExactlyEntriesOf(Map.of("", "v"));
    }
}
