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
import java.util.function.Supplier;
import java.util.stream.Stream;

/** Builds the engine's view of a request. The query is parsed by hand: getParameter would consume form bodies. */
final class RequestInfos {
    static final int MAX_QUERY_LENGTH = 8192;
    static final int MAX_HEADERS = 100;
    private static final List<String> SESSION_AND_FORWARDING_HEADERS =
            Stream.concat(HttpRequestInfo.SESSION_HEADERS.stream(), Stream.of("x-forwarded-for")).toList();

    private RequestInfos() {
    }

    /** A polling request through the servlet container. */
    static HttpRequestInfo of(HttpServletRequest request, ClientAddresses addresses) {
        String q = request.getQueryString();
        return polling(request.getMethod(), () -> Collections.list(request.getHeaderNames()),
                name -> Collections.list(request.getHeaders(name)), q, request.getRemoteAddr(), request.isSecure(),
                request.getRequestURI() + (q == null ? "" : "?" + q), addresses);
    }

    /**
     * A polling request. One of an established session (a {@code sid} in the query) carries only the headers the
     * engine reads then ({@link HttpRequestInfo#SESSION_HEADERS}), and the forwarding chain for the client's address.
     *
     * @param names  every header name, asked for only when all are kept
     * @param values a header's values, its name in any case
     */
    static HttpRequestInfo polling(String method, Supplier<? extends Iterable<String>> names,
                                   Function<String, ? extends Iterable<String>> values, String query, String peer,
                                   boolean secure, String url, ClientAddresses addresses) {
        Map<String, String> parsed = parseQuery(query);
        Map<String, List<String>> headers = parsed.containsKey("sid")
                ? headers(SESSION_AND_FORWARDING_HEADERS, values) : headers(names.get(), values);
        return new HttpRequestInfo(method, parsed, headers, addresses.clientOf(peer, headers.get("x-forwarded-for")),
                secure, url);
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
            if (!all.isEmpty()) { // a name asked for that the request does not have
                out.put(lower, all);
            }
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
        // by index, not split: every polling request comes through here
        for (int start = 0; start < q.length(); ) {
            int amp = q.indexOf('&', start);
            int end = amp < 0 ? q.length() : amp;
            if (end > start) {
                int eq = q.indexOf('=', start);
                if (eq < 0 || eq > end) {
                    out.putIfAbsent(decode(q.substring(start, end)), "");
                } else {
                    out.putIfAbsent(decode(q.substring(start, eq)), decode(q.substring(eq + 1, end)));
                }
            }
            start = end + 1;
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
        if (s.indexOf('%') < 0 && s.indexOf('+') < 0) {
            return s; // nothing to decode (URLDecoder would still copy it)
        }
        try {
            return URLDecoder.decode(s, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return s;
        }
    }
}
