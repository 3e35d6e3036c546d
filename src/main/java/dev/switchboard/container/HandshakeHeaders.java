package dev.switchboard.container;

import java.util.List;
import java.util.Map;

/**
 * Carries one WebSocket handshake's headers from the configurator's {@code modifyHandshake} to the endpoint's
 * {@code onOpen}. The Jakarta WebSocket API offers only the endpoint configuration's user properties for that, and
 * they are one map shared by every handshake of the path: under concurrent upgrades a session could be opened with
 * another client's headers (its Origin, its Authorization). Payara (Tyrus in the servlet container) runs both calls
 * on the request's thread, so the headers travel in a thread-local; the shared map is only a fallback for a
 * container that does not, logged once.
 */
final class HandshakeHeaders {
    static final String SHARED_KEY = "switchboard.handshake.headers";
    private static final System.Logger LOG = System.getLogger(HandshakeHeaders.class.getName());
    private static final ThreadLocal<Map<String, List<String>>> CURRENT = new ThreadLocal<>();
    private static volatile boolean warned;

    private HandshakeHeaders() {
    }

    /** In modifyHandshake: these headers belong to the session this thread opens next. */
    static void capture(Map<String, Object> sharedProperties, Map<String, List<String>> headers) {
        CURRENT.set(headers);
        sharedProperties.put(SHARED_KEY, headers);
    }

    /** In onOpen: the headers captured on this thread, or (another container's threading) the shared fallback. */
    @SuppressWarnings("unchecked")
    static Map<String, List<String>> take(Map<String, Object> sessionProperties) {
        Map<String, List<String>> headers = CURRENT.get();
        CURRENT.remove();
        if (headers != null) {
            return headers;
        }
        if (!warned) {
            warned = true;
            LOG.log(System.Logger.Level.WARNING, "the WebSocket container opened a session on another thread than its "
                    + "handshake: handshake headers come from the shared endpoint properties (racy under load)");
        }
        return (Map<String, List<String>>) sessionProperties.getOrDefault(SHARED_KEY, Map.of());
    }
}
