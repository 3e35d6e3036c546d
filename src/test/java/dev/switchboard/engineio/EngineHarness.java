package dev.switchboard.engineio;

import dev.switchboard.engineio.transport.HttpRequestInfo;
import dev.switchboard.engineio.transport.WebSocketHandler;
import dev.switchboard.testing.FakeScheduler;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An EngineServer on a fake scheduler. The clock is the scheduler's time plus {@link #skew}, so a test can move the
 * clock past a deadline without running the timers.
 */
public final class EngineHarness {
    public static final long PING_INTERVAL = 300;
    public static final long PING_TIMEOUT = 200;
    public static final long UPGRADE_TIMEOUT = 1000;
    public static final String RS = "\u001e";
    private static final Pattern SID = Pattern.compile("\"sid\":\"([^\"]+)\"");

    public final FakeScheduler scheduler = new FakeScheduler();
    public final RecordingHandler handler = new RecordingHandler();
    public final EngineServer server;
    long skew;

    public EngineHarness() {
        this(testOptions());
    }

    public EngineHarness(EngineOptions options) {
        server = new EngineServer(options, () -> scheduler.nowMillis() + skew, scheduler, handler);
    }

    public static EngineOptions testOptions() {
        return new EngineOptions(PING_INTERVAL, PING_TIMEOUT, 1_000_000, UPGRADE_TIMEOUT,
                java.util.Set.of(EngineOptions.POLLING, EngineOptions.WEBSOCKET), List.of(), null, 1024);
    }

    public static HttpRequestInfo request(String method, String query, Map<String, String> headers) {
        Map<String, String> q = new LinkedHashMap<>();
        if (!query.isEmpty()) {
            for (String pair : query.split("&")) {
                int eq = pair.indexOf('=');
                q.putIfAbsent(eq < 0 ? pair : pair.substring(0, eq), eq < 0 ? "" : pair.substring(eq + 1));
            }
        }
        Map<String, List<String>> h = new LinkedHashMap<>();
        headers.forEach((k, v) -> h.put(k.toLowerCase(java.util.Locale.ROOT), List.of(v)));
        h.putIfAbsent("host", List.of("localhost:8080"));
        return new HttpRequestInfo(method, q, h, "127.0.0.1", false, "/engine.io/?" + query);
    }

    public FakePollExchange poll(String method, String query, String body, Map<String, String> headers) {
        FakePollExchange ex = new FakePollExchange(request(method, query, headers),
                body == null ? null : body.getBytes(StandardCharsets.UTF_8));
        server.handlePolling(ex);
        return ex;
    }

    public FakePollExchange poll(String method, String query) {
        return poll(method, query, null, Map.of());
    }

    /** Opens a polling session and returns its sid. */
    public String handshake() {
        FakePollExchange ex = poll("GET", "EIO=4&transport=polling&t=abc");
        if (ex.status() != 200) {
            throw new AssertionError("handshake failed: " + ex.status() + " " + ex.bodyText());
        }
        return sidOf(ex.bodyText());
    }

    public static String sidOf(String openPacket) {
        Matcher m = SID.matcher(openPacket);
        if (!m.find()) {
            throw new AssertionError("no sid in " + openPacket);
        }
        return m.group(1);
    }

    public FakePollExchange get(String sid) {
        return poll("GET", "EIO=4&transport=polling&sid=" + sid);
    }

    public FakePollExchange post(String sid, String body) {
        return poll("POST", "EIO=4&transport=polling&sid=" + sid, body, Map.of());
    }

    public FakePollExchange postBytes(String sid, byte[] body) {
        FakePollExchange ex = new FakePollExchange(request("POST", "EIO=4&transport=polling&sid=" + sid, Map.of()),
                body);
        server.handlePolling(ex);
        return ex;
    }

    public Ws websocket(String query, Map<String, String> headers) {
        FakeWebSocketConnection c = new FakeWebSocketConnection();
        WebSocketHandler h = server.handleWebSocket(request("GET", query, headers), c);
        return new Ws(c, h);
    }

    public Ws websocket(String sid) {
        return websocket("EIO=4&transport=websocket" + (sid == null ? "" : "&sid=" + sid), Map.of());
    }

    public RecordingHandler.RecordingListener listener() {
        return handler.last();
    }

    public record Ws(FakeWebSocketConnection connection, WebSocketHandler handler) {
        public void text(String frame) {
            handler.onText(frame);
        }

        public void binary(byte[] data) {
            handler.onBinary(data);
        }
    }
}
