package dev.switchboard.engineio;

import java.util.List;
import java.util.Map;

/**
 * What the opening HTTP request of a session carried. Header names are lower case.
 *
 * @param query        decoded query parameters (first value of each)
 * @param headers      request headers, names in lower case
 * @param remoteAddress the peer's address as the container saw it
 * @param timeMillis   when the session was opened (server clock)
 * @param secure       whether the request came over TLS
 * @param url          the request path and query
 */
public record EngineHandshake(Map<String, String> query, Map<String, List<String>> headers, String remoteAddress,
                              long timeMillis, boolean secure, String url) {
    public EngineHandshake {
        query = Map.copyOf(query);
        headers = Map.copyOf(headers);
        remoteAddress = remoteAddress == null ? "" : remoteAddress;
        url = url == null ? "" : url;
    }

    /** First value of a header, or null. */
    public String header(String name) {
        List<String> values = headers.get(name.toLowerCase(java.util.Locale.ROOT));
        return values == null || values.isEmpty() ? null : values.get(0);
    }
}
