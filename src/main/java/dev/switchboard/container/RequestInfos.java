package dev.switchboard.container;

import dev.switchboard.engineio.transport.HttpRequestInfo;
import jakarta.servlet.http.HttpServletRequest;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

/** Builds the engine's view of a request. The query is parsed by hand: getParameter would consume form bodies. */
final class RequestInfos {
    static final int MAX_QUERY_LENGTH = 8192;
    static final int MAX_HEADERS = 100;

    private RequestInfos() {
    }

    /** A polling request. */
    static HttpRequestInfo of(HttpServletRequest request, ClientAddresses addresses) {
        Map<String, List<String>> headers = headers(Collections.list(request.getHeaderNames()),
                name -> Collections.list(request.getHeaders(name)));
        String q = request.getQueryString();
        String url = request.getRequestURI() + (q == null ? "" : "?" + q);
        return new HttpRequestInfo(request.getMethod(), parseQuery(q), headers,
                addresses.clientOf(request.getRemoteAddr(), headers.get("x-forwarded-for")), request.isSecure(), url);
    }

    /**
     * A WebSocket handshake.
     *
     * @param headers lower-case names, as {@link #headers} builds them
     * @param peer the TCP peer's address, "" when the container does not tell it
     */
    static HttpRequestInfo handshake(Map<String, List<String>> headers, String query, String peer, boolean secure,
                                     String url, ClientAddresses addresses) {
        return of("GET", headers, query, peer, secure, url, addresses);
    }

    /** A request as Grizzly or Jakarta WebSocket saw it; headers as {@link #headers} builds them. */
    static HttpRequestInfo of(String method, Map<String, List<String>> headers, String query, String peer,
                              boolean secure, String url, ClientAddresses addresses) {
        return new HttpRequestInfo(method, parseQuery(query), headers,
                addresses.clientOf(peer, headers.get("x-forwarded-for")), secure, url);
    }

    /**
     * Header names lower-cased, values of a name given more than once (in any case) together, at most
     * {@value #MAX_HEADERS} names.
     */
    static Map<String, List<String>> headers(Iterable<String> names, Function<String, ? extends Iterable<String>> values) {
        Map<String, List<String>> out = new HashMap<>();
        for (String name : names) {
            String lower = name.toLowerCase(Locale.ROOT);
            if (out.containsKey(lower)) {
                continue; // values(name) already gave every value of this name, whatever its case
            }
            if (out.size() == MAX_HEADERS) {
                break;
            }
            List<String> all = new ArrayList<>();
            values.apply(name).forEach(all::add);
            out.put(lower, all);
        }
        return out;
    }

    /** First value of each parameter; malformed escapes leave the raw text; oversized queries are cut. */
    static Map<String, String> parseQuery(String query) {
        Map<String, String> out = new HashMap<>();
        if (query == null || query.isEmpty()) {
            return out;
        }
        String q = query.length() > MAX_QUERY_LENGTH ? query.substring(0, MAX_QUERY_LENGTH) : query;
        for (String pair : q.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String key = decode(eq < 0 ? pair : pair.substring(0, eq));
            String value = eq < 0 ? "" : decode(pair.substring(eq + 1));
            out.putIfAbsent(key, value);
        }
        return out;
    }

    /** A handshake's headers as Jakarta WebSocket hands them over (a name in two cases may be two keys). */
    static Map<String, List<String>> lowerCaseHeaders(Map<String, List<String>> headers) {
        Map<String, List<String>> out = new HashMap<>();
        for (Map.Entry<String, List<String>> e : headers.entrySet()) {
            String lower = e.getKey().toLowerCase(Locale.ROOT);
            if (out.containsKey(lower) || out.size() < MAX_HEADERS) {
                out.computeIfAbsent(lower, x -> new ArrayList<>()).addAll(e.getValue());
            }
        }
        return out;
    }

    private static String decode(String s) {
        try {
            return URLDecoder.decode(s, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return s;
        }
    }
}
