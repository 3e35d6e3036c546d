package dev.switchboard.socketio;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.engineio.EngineHandshake;
import dev.switchboard.socketio.parser.SioJson;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What a socket knew when it connected to its namespace.
 *
 * @param headers opening HTTP request headers, names in lower case
 * @param query   query parameters of the opening request
 * @param auth    the CONNECT payload ({} when the client sent none)
 * @param address the peer's address
 * @param time    when the namespace connection was made, ISO-8601
 * @param url     the opening request's path and query
 * @param secure  whether the connection came over TLS
 * @param xdomain whether the request carried an Origin header
 * @param issued  when the namespace connection was made, epoch milliseconds
 */
public record Handshake(Map<String, List<String>> headers, Map<String, String> query, JsonNode auth, String address,
                        String time, String url, boolean secure, boolean xdomain, long issued) {

    public Handshake {
        headers = Map.copyOf(headers);
        query = Map.copyOf(query);
        auth = auth == null ? SioJson.mapper().createObjectNode() : auth;
        address = Objects.requireNonNullElse(address, "");
        time = Objects.requireNonNullElse(time, "");
        url = Objects.requireNonNullElse(url, "");
    }

    static Handshake of(EngineHandshake engine, JsonNode auth, long nowMillis) {
        return new Handshake(engine.headers(), engine.query(), auth, engine.remoteAddress(),
                Instant.ofEpochMilli(nowMillis).toString(), engine.url(), engine.secure(),
                engine.header("origin") != null, nowMillis);
    }

    /** First value of a header, or null. */
    public String header(String name) {
        List<String> values = headers.get(name.toLowerCase(java.util.Locale.ROOT));
        return values == null || values.isEmpty() ? null : values.get(0);
    }

    /** This handshake as JSON, in the reference's shape. */
    public JsonNode toJson() {
        ObjectNode json = SioJson.mapper().createObjectNode();
        ObjectNode headerJson = json.putObject("headers");
        headers.forEach((name, values) -> headerJson.put(name, String.join(", ", values)));
        json.put("time", time);
        json.put("address", address);
        json.put("xdomain", xdomain);
        json.put("secure", secure);
        json.put("issued", issued);
        json.put("url", url);
        ObjectNode queryJson = json.putObject("query");
        query.forEach(queryJson::put);
        json.set("auth", auth);
        return json;
    }
}
