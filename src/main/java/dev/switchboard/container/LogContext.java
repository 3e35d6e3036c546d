package dev.switchboard.container;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Correlation fields of the current thread (request_id, sid, socket_id, user_id), added to every JSON log line
 * written while they are set: java.util.logging has no MDC, so this is a small one. Always clear what you set.
 */
public final class LogContext {
    private static final ThreadLocal<Map<String, String>> FIELDS = ThreadLocal.withInitial(LinkedHashMap::new);

    private LogContext() {
    }

    public static void put(String key, String value) {
        if (value == null || value.isEmpty()) {
            FIELDS.get().remove(key);
        } else {
            FIELDS.get().put(key, value);
        }
    }

    public static void remove(String key) {
        FIELDS.get().remove(key);
    }

    public static Map<String, String> snapshot() {
        Map<String, String> m = FIELDS.get();
        return m.isEmpty() ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(m));
    }

    /** Runs the action with these fields (key, value pairs) set, restoring the previous values after. */
    public static void with(Runnable action, String... pairs) {
        Map<String, String> m = FIELDS.get();
        String[] previous = new String[pairs.length / 2]; // an array, not a map: this runs for every polling request
        for (int i = 0; i + 1 < pairs.length; i += 2) {
            previous[i / 2] = m.get(pairs[i]);
            put(pairs[i], pairs[i + 1]);
        }
        try {
            action.run();
        } finally {
            for (int i = 0; i + 1 < pairs.length; i += 2) {
                put(pairs[i], previous[i / 2]);
            }
        }
    }
}
