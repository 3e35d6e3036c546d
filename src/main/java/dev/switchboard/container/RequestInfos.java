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

/** Builds the engine's view of a request. The query is parsed by hand: getParameter would consume form bodies. */
final class RequestInfos {
    static final int MAX_QUERY_LENGTH = 8192;
    static final int MAX_HEADERS = 100;

    private RequestInfos() {
    }

    static HttpRequestInfo of(HttpServletRequest request) {
        Map<String, List<String>> headers = new HashMap<>();
        int count = 0;
        for (String name : Collections.list(request.getHeaderNames())) {
            if (++count > MAX_HEADERS) {
                break;
            }
            headers.put(name.toLowerCase(Locale.ROOT), Collections.list(request.getHeaders(name)));
        }
        String q = request.getQueryString();
        String url = request.getRequestURI() + (q == null ? "" : "?" + q);
        return new HttpRequestInfo(request.getMethod(), parseQuery(q), headers, request.getRemoteAddr(),
                request.isSecure(), url);
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

    static Map<String, List<String>> lowerCaseHeaders(Map<String, List<String>> headers) {
        Map<String, List<String>> out = new HashMap<>();
        headers.forEach((k, v) -> out.computeIfAbsent(k.toLowerCase(Locale.ROOT), x -> new ArrayList<>()).addAll(v));
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
