package dev.switchboard.engineio;

import java.util.List;
import java.util.Set;

/**
 * Every Engine.IO setting with its default (the reference server's). The container maps MicroProfile Config keys
 * onto it; tests build it directly.
 *
 * @param pingIntervalMillis   how often the server pings (reference default 25000; production example 10000)
 * @param pingTimeoutMillis    how long it waits for the pong (reference default 20000; production example 5000)
 * @param maxPayload           the largest polling body or WebSocket message accepted, in bytes (maxHttpBufferSize)
 * @param upgradeTimeoutMillis how long a probed WebSocket may take to send the upgrade packet
 * @param transports           the transports clients may use: "polling", "websocket"
 * @param allowedOrigins       origins allowed for CORS and for the WebSocket upgrade; empty means same origin only,
 *                             "*" means any (requests without an Origin header, from non-browser clients, pass)
 * @param cookieName           name of the session cookie for sticky load balancers, or null for none
 * @param compressionThreshold polling responses at least this long are gzip/deflate compressed when accepted
 * @param sendQueue            the bound on each session's outbound data the client has not taken yet
 */
public record EngineOptions(long pingIntervalMillis, long pingTimeoutMillis, int maxPayload, long upgradeTimeoutMillis,
                            Set<String> transports, List<String> allowedOrigins, String cookieName,
                            int compressionThreshold, SendQueueLimits sendQueue) {
    public static final String POLLING = "polling";
    public static final String WEBSOCKET = "websocket";

    public EngineOptions {
        requirePositive("pingInterval", pingIntervalMillis);
        requirePositive("pingTimeout", pingTimeoutMillis);
        requirePositive("maxHttpBufferSize", maxPayload);
        requirePositive("upgradeTimeout", upgradeTimeoutMillis);
        transports = Set.copyOf(transports);
        if (transports.isEmpty() || !Set.of(POLLING, WEBSOCKET).containsAll(transports)) {
            throw new IllegalArgumentException("transports must be a non-empty subset of [polling, websocket]: "
                    + transports);
        }
        allowedOrigins = List.copyOf(allowedOrigins);
        if (cookieName != null && !cookieName.matches("[A-Za-z0-9_-]+")) {
            throw new IllegalArgumentException("cookie name must be a token of [A-Za-z0-9_-]: " + cookieName);
        }
        if (compressionThreshold < 0) {
            throw new IllegalArgumentException("compressionThreshold must not be negative");
        }
        if (sendQueue == null) {
            sendQueue = SendQueueLimits.DEFAULT;
        }
    }

    /** With the default send-queue bound. */
    public EngineOptions(long pingIntervalMillis, long pingTimeoutMillis, int maxPayload, long upgradeTimeoutMillis,
                         Set<String> transports, List<String> allowedOrigins, String cookieName,
                         int compressionThreshold) {
        this(pingIntervalMillis, pingTimeoutMillis, maxPayload, upgradeTimeoutMillis, transports, allowedOrigins,
                cookieName, compressionThreshold, SendQueueLimits.DEFAULT);
    }

    public static EngineOptions defaults() {
        return new EngineOptions(25_000, 20_000, 1_000_000, 10_000, Set.of(POLLING, WEBSOCKET), List.of(), null, 1024);
    }

    public EngineOptions withHeartbeat(long intervalMillis, long timeoutMillis) {
        return new EngineOptions(intervalMillis, timeoutMillis, maxPayload, upgradeTimeoutMillis, transports,
                allowedOrigins, cookieName, compressionThreshold, sendQueue);
    }

    public EngineOptions withMaxPayload(int bytes) {
        return new EngineOptions(pingIntervalMillis, pingTimeoutMillis, bytes, upgradeTimeoutMillis, transports,
                allowedOrigins, cookieName, compressionThreshold, sendQueue);
    }

    public EngineOptions withAllowedOrigins(List<String> origins) {
        return new EngineOptions(pingIntervalMillis, pingTimeoutMillis, maxPayload, upgradeTimeoutMillis, transports,
                origins, cookieName, compressionThreshold, sendQueue);
    }

    public EngineOptions withCookie(String name) {
        return new EngineOptions(pingIntervalMillis, pingTimeoutMillis, maxPayload, upgradeTimeoutMillis, transports,
                allowedOrigins, name, compressionThreshold, sendQueue);
    }

    public EngineOptions withTransports(Set<String> names) {
        return new EngineOptions(pingIntervalMillis, pingTimeoutMillis, maxPayload, upgradeTimeoutMillis, names,
                allowedOrigins, cookieName, compressionThreshold, sendQueue);
    }

    public EngineOptions withSendQueue(SendQueueLimits limits) {
        return new EngineOptions(pingIntervalMillis, pingTimeoutMillis, maxPayload, upgradeTimeoutMillis, transports,
                allowedOrigins, cookieName, compressionThreshold, limits);
    }

    public boolean allowsUpgrade() {
        return transports.contains(POLLING) && transports.contains(WEBSOCKET);
    }

    private static void requirePositive(String name, long value) {
        if (value <= 0) {
            throw new IllegalArgumentException(name + " must be positive: " + value);
        }
    }
}
