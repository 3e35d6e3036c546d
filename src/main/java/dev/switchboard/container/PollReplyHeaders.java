package dev.switchboard.container;

import dev.switchboard.engineio.transport.HttpReply;

import java.util.LinkedHashMap;
import java.util.Map;

/** The headers of a polling answer, on either polling transport: the engine's, then the container's own. */
final class PollReplyHeaders {
    private PollReplyHeaders() {
    }

    static Map<String, String> of(HttpReply reply) {
        Map<String, String> all = new LinkedHashMap<>(reply.headers());
        all.put("Cache-Control", "no-store");
        all.put("X-Content-Type-Options", "nosniff");
        return all;
    }
}
