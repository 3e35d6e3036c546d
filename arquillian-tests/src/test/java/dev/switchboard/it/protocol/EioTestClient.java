package dev.switchboard.it.protocol;

import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A raw Engine.IO client on the JDK's HTTP and WebSocket clients, to drive the protocol frame by frame. */
final class EioTestClient {
    private static final Pattern SID = Pattern.compile("\"sid\":\"([^\"]+)\"");
    final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();
    final String base;

    EioTestClient(URL deployment, String path) {
        String root = deployment.toString().replaceAll("/+$", "");
        this.base = root + path;
    }

    String url(String query) {
        return base + "?" + query;
    }

    HttpResponse<String> get(String query) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(url(query))).timeout(Duration.ofSeconds(10)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }

    CompletableFuture<HttpResponse<String>> getAsync(String query) {
        return http.sendAsync(HttpRequest.newBuilder(URI.create(url(query))).timeout(Duration.ofSeconds(10)).GET()
                .build(), HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> post(String query, String body) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(url(query))).timeout(Duration.ofSeconds(10))
                .header("Content-Type", "text/plain;charset=UTF-8")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> post(String query, byte[] body) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(url(query))).timeout(Duration.ofSeconds(10))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** Opens a polling session and returns its sid. */
    String handshake() throws Exception {
        HttpResponse<String> r = get("EIO=4&transport=polling");
        if (r.statusCode() != 200) {
            throw new AssertionError("handshake failed: " + r.statusCode() + " " + r.body());
        }
        return sidOf(r.body());
    }

    static String sidOf(String openPacket) {
        Matcher m = SID.matcher(openPacket);
        if (!m.find()) {
            throw new AssertionError("no sid in " + openPacket);
        }
        return m.group(1);
    }

    Ws websocket(String query) throws Exception {
        String wsUrl = url(query).replaceFirst("^http", "ws");
        Ws ws = new Ws();
        ws.socket = http.newWebSocketBuilder().connectTimeout(Duration.ofSeconds(5))
                .buildAsync(URI.create(wsUrl), ws).get(10, TimeUnit.SECONDS);
        return ws;
    }

    /** Collects frames: text as String, binary as byte[], and the close as "CLOSE:<code>". */
    static final class Ws implements WebSocket.Listener {
        final LinkedBlockingQueue<Object> frames = new LinkedBlockingQueue<>();
        final CompletableFuture<Integer> closed = new CompletableFuture<>();
        WebSocket socket;
        private final StringBuilder text = new StringBuilder();
        private java.io.ByteArrayOutputStream binary = new java.io.ByteArrayOutputStream();

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            text.append(data);
            if (last) {
                frames.add(text.toString());
                text.setLength(0);
            }
            webSocket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onBinary(WebSocket webSocket, ByteBuffer data, boolean last) {
            byte[] chunk = new byte[data.remaining()];
            data.get(chunk);
            binary.writeBytes(chunk);
            if (last) {
                frames.add(binary.toByteArray());
                binary = new java.io.ByteArrayOutputStream();
            }
            webSocket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
            frames.add("CLOSE:" + statusCode);
            closed.complete(statusCode);
            return null;
        }

        @Override
        public void onError(WebSocket webSocket, Throwable error) {
            frames.add("ERROR:" + error);
            closed.complete(-1);
        }

        Object next() throws InterruptedException {
            Object f = frames.poll(5, TimeUnit.SECONDS);
            if (f == null) {
                throw new AssertionError("no frame within 5 s");
            }
            return f;
        }

        /** The next frame that is not a ping (answering it with a pong, as a client must). */
        Object nextNonPing() throws InterruptedException {
            while (true) {
                Object f = next();
                if ("2".equals(f)) {
                    send("3");
                    continue;
                }
                return f;
            }
        }

        void send(String text) {
            socket.sendText(text, true).join();
        }

        void send(byte[] data) {
            socket.sendBinary(ByteBuffer.wrap(data), true).join();
        }

        boolean awaitClose(long seconds) {
            try {
                closed.get(seconds, TimeUnit.SECONDS);
                return true;
            } catch (Exception e) {
                return false;
            }
        }
    }
}
