package dev.switchboard.engineio.transport;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The parts of an HTTP request (polling request or WebSocket handshake) the engine reads.
 * Header names are lower case; query values are decoded, first value of each name.
 */
public record HttpRequestInfo(String method, Map<String, String> query, Map<String, List<String>> headers,
                              String remoteAddress, boolean secure, String url) {
    /**
     * The headers the engine reads from a polling request of an established session (one with a {@code sid}). A
     * transport may give only these for such a request: the application sees the handshake's headers, never a later
     * request's, so copying every header of every poll would be work for nobody.
     */
    public static final Set<String> SESSION_HEADERS =
            Set.of("origin", "host", "accept-encoding", "access-control-request-headers");

    public HttpRequestInfo {
        method = method == null ? "GET" : method.toUpperCase(Locale.ROOT);
        query = Map.copyOf(query);
        headers = Map.copyOf(headers);
    }

    public String query(String name) {
        return query.get(name);
    }

    public String header(String name) {
        List<String> values = headers.get(name.toLowerCase(Locale.ROOT));
        return values == null || values.isEmpty() ? null : values.get(0);
    }
}
