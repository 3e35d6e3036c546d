package dev.switchboard.container;

import jakarta.servlet.DispatcherType;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.annotation.WebFilter;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Every HTTP request gets a request id: the caller's {@code X-Request-Id} when it is a sane token, a new one
 * otherwise. It is returned in the response, kept as the request attribute {@value #ATTRIBUTE}, and put in the
 * {@link LogContext} (with the Engine.IO {@code sid} of a polling request) for the log lines of this request.
 */
@WebFilter(urlPatterns = "/*", asyncSupported = true, dispatcherTypes = {DispatcherType.REQUEST, DispatcherType.ASYNC})
public class RequestIdFilter extends HttpFilter {
    public static final String HEADER = "X-Request-Id";
    public static final String ATTRIBUTE = "switchboard.requestId";

    @Override
    protected void doFilter(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        String id = request.getAttribute(ATTRIBUTE) instanceof String kept ? kept : idOf(request.getHeader(HEADER));
        request.setAttribute(ATTRIBUTE, id);
        if (!response.containsHeader(HEADER)) {
            response.setHeader(HEADER, id);
        }
        LogContext.put("request_id", id);
        LogContext.put("sid", sidOf(request.getQueryString()));
        try {
            chain.doFilter(request, response);
        } finally {
            LogContext.remove("request_id");
            LogContext.remove("sid");
        }
    }

    /** The caller's id if it is a plain token of at most 128 characters, else a new random (version 4) UUID. */
    static String idOf(String header) {
        if (header != null && sane(header.trim())) {
            return header.trim();
        }
        return randomUuid();
    }

    /**
     * A request id correlates log lines and guards nothing, so it needs no secure random. UUID.randomUUID shares one
     * SecureRandom, a lock, with Tyrus and Payara (three more draws per WebSocket upgrade): under a 10,000-client
     * connect burst most worker threads queued on it.
     */
    static String randomUuid() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        long high = (random.nextLong() & ~0xF000L) | 0x4000L;
        long low = (random.nextLong() & 0x3FFF_FFFF_FFFF_FFFFL) | 0x8000_0000_0000_0000L;
        return new UUID(high, low).toString();
    }

    static String sidOf(String query) {
        // request.getParameter could read a POST body as a form: take sid from the query string only.
        for (int start = 0; query != null && start < query.length(); ) {
            int amp = query.indexOf('&', start);
            int end = amp < 0 ? query.length() : amp;
            if (query.startsWith("sid=", start)) {
                String sid = query.substring(start + 4, end);
                return sane(sid) ? sid : null;
            }
            start = end + 1;
        }
        return null;
    }

    /** 1 to 128 of [A-Za-z0-9._:-]; by hand, not a regex: every polling request asks. */
    static boolean sane(String s) {
        if (s.isEmpty() || s.length() > 128) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (!(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '.' || c == '_'
                    || c == ':' || c == '-')) {
                return false;
            }
        }
        return true;
    }
}
