package dev.switchboard.engineio.transport;

import java.nio.charset.StandardCharsets;
import java.util.Map;

/** An HTTP response decided by the engine; the container writes it as is. */
public record HttpReply(int status, String contentType, byte[] body, Map<String, String> headers) {
    public HttpReply {
        headers = Map.copyOf(headers);
        body = body == null ? new byte[0] : body;
    }

    public static HttpReply text(int status, String text) {
        return new HttpReply(status, "text/plain; charset=UTF-8", text.getBytes(StandardCharsets.UTF_8), Map.of());
    }

    public static HttpReply json(int status, String json) {
        return new HttpReply(status, "application/json", json.getBytes(StandardCharsets.UTF_8), Map.of());
    }

    public HttpReply withHeaders(Map<String, String> extra) {
        if (extra.isEmpty()) {
            return this;
        }
        java.util.HashMap<String, String> all = new java.util.HashMap<>(headers);
        all.putAll(extra);
        return new HttpReply(status, contentType, body, all);
    }
}
