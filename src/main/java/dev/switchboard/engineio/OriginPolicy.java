package dev.switchboard.engineio;

import java.util.List;
import java.util.Locale;

/**
 * Decides whether a browser origin may use the server, for polling CORS and for the WebSocket upgrade alike
 * (cross-site WebSocket hijacking is the same attack as a permissive CORS policy).
 */
public final class OriginPolicy {
    private final List<String> allowed;
    private final boolean any;

    public OriginPolicy(List<String> allowedOrigins) {
        this.allowed = allowedOrigins.stream().map(OriginPolicy::normalize).toList();
        this.any = allowed.contains("*");
    }

    /** No Origin header (a non-browser client) passes; otherwise same origin, or a listed one. */
    public boolean permits(String origin, String host, boolean secure) {
        if (origin == null || origin.isEmpty()) {
            return true;
        }
        String o = normalize(origin);
        if (any || allowed.contains(o)) {
            return true;
        }
        return host != null && o.equals((secure ? "https://" : "http://") + host.toLowerCase(Locale.ROOT));
    }

    /** The Access-Control-Allow-Origin value for a permitted cross-origin request, or null to send none. */
    public String allowOriginHeader(String origin) {
        if (origin == null || origin.isEmpty()) {
            return null;
        }
        return any || allowed.contains(normalize(origin)) ? origin : null;
    }

    private static String normalize(String origin) {
        String o = origin.trim().toLowerCase(Locale.ROOT);
        return o.endsWith("/") ? o.substring(0, o.length() - 1) : o;
    }
}
