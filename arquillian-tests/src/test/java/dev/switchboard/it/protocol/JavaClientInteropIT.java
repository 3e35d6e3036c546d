package dev.switchboard.it.protocol;

import dev.switchboard.it.Deployments;
import io.socket.client.Ack;
import io.socket.client.IO;
import io.socket.client.Manager;
import io.socket.client.Socket;
import io.socket.engineio.client.Transport;
import io.socket.engineio.client.transports.Polling;
import io.socket.engineio.client.transports.WebSocket;
import io.socket.engineio.parser.Packet;
import okhttp3.OkHttpClient;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.json.JSONArray;
import org.json.JSONObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.net.URI;
import java.net.URL;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Java client io.socket:socket.io-client 2.1.2 (org.json + OkHttp) against the deployed WAR's interop profile:
 * "/" echoes {@code message} as {@code message-back}, acks {@code message-with-ack} with its arguments and emits
 * {@code auth} with the CONNECT payload; "/custom" only emits {@code auth}. Each transport mode is one parameter.
 */
@EnabledIfSystemProperty(named = "switchboard.itProperties", matches = ".*interop\\.properties",
        disabledReason = "needs the interop test application (failsafe's protocol execution); -Dit.test selects this "
                + "class in every execution")
@ExtendWith(ArquillianExtension.class)
class JavaClientInteropIT {
    private static final long WAIT_SECONDS = 10;
    private static final OkHttpClient HTTP = new OkHttpClient.Builder().build();

    @Deployment(testable = false)
    static WebArchive war() {
        return Deployments.builtWar();
    }

    @ArquillianResource
    URL base;

    private final List<Socket> sockets = new ArrayList<>();

    /** How the client reaches the server: the three ways a Socket.IO client can be configured. */
    enum Mode {
        WEBSOCKET_ONLY(new String[]{WebSocket.NAME}, WebSocket.NAME),
        POLLING_ONLY(new String[]{Polling.NAME}, Polling.NAME),
        POLLING_THEN_UPGRADE(new String[]{Polling.NAME, WebSocket.NAME}, WebSocket.NAME);

        final String[] transports;
        final String finalTransport;

        Mode(String[] transports, String finalTransport) {
            this.transports = transports;
            this.finalTransport = finalTransport;
        }
    }

    @AfterEach
    void closeSockets() {
        for (Socket s : sockets) {
            s.close();
        }
        sockets.clear();
    }

    @AfterAll
    static void stopHttp() {
        HTTP.dispatcher().executorService().shutdown();
        HTTP.connectionPool().evictAll();
    }

    /** A socket that is not connected yet; closed after the test. Transports it creates are recorded. */
    private Socket socket(String namespace, Mode mode, Map<String, String> auth, List<String> messageTransports) {
        IO.Options options = IO.Options.builder()
                .setForceNew(true)
                .setReconnection(false)
                .setTimeout(5_000)
                .setTransports(mode.transports)
                .setUpgrade(true)
                .setAuth(auth)
                .build();
        options.callFactory = HTTP;
        options.webSocketFactory = HTTP;
        String root = base.toString().replaceAll("/+$", "");
        Socket s = IO.socket(URI.create(root + namespace), options);
        // Which transport carried each incoming message: proves the mode (and that an upgrade completed).
        s.io().on(Manager.EVENT_TRANSPORT, args -> {
            Transport t = (Transport) args[0];
            t.on(Transport.EVENT_PACKET, p -> {
                if (Packet.MESSAGE.equals(((Packet<?>) p[0]).type)) {
                    messageTransports.add(t.name);
                }
            });
        });
        sockets.add(s);
        return s;
    }

    /** Connects and returns the payload of the server's {@code auth} event, which follows the connection. */
    private static JSONObject connectAndReadAuth(Socket s) throws Exception {
        CompletableFuture<Void> connected = new CompletableFuture<>();
        CompletableFuture<Object> auth = new CompletableFuture<>();
        s.on(Socket.EVENT_CONNECT, a -> connected.complete(null));
        s.on(Socket.EVENT_CONNECT_ERROR, a -> connected.completeExceptionally(
                new AssertionError("connect_error: " + (a.length > 0 ? a[0] : ""))));
        s.on("auth", a -> auth.complete(a.length > 0 ? a[0] : null));
        s.connect();
        connected.get(WAIT_SECONDS, TimeUnit.SECONDS);
        assertThat(s.connected()).isTrue();
        assertThat(s.id()).isNotBlank();
        Object payload = auth.get(WAIT_SECONDS, TimeUnit.SECONDS);
        assertThat(payload).isInstanceOf(JSONObject.class);
        return (JSONObject) payload;
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void connectsToTheMainNamespaceAndReceivesAuth(Mode mode) throws Exception {
        Socket s = socket("/", mode, null, new CopyOnWriteArrayList<>());
        JSONObject auth = connectAndReadAuth(s);
        assertThat(auth.length()).as("auth payload %s", auth).isZero();
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void messageComesBackWithTheSameJsonAndBinaryArguments(Mode mode) throws Exception {
        List<String> carriers = new CopyOnWriteArrayList<>();
        Socket s = socket("/", mode, null, carriers);
        connectAndReadAuth(s);
        if (mode == Mode.POLLING_THEN_UPGRADE) {
            awaitUpgrade(s, carriers);
        }
        JSONObject obj = new JSONObject().put("name", "zoë").put("n", 42).put("nested",
                new JSONObject().put("list", new JSONArray().put(1).put("two").put(false)).put("nothing", JSONObject.NULL));
        byte[] bytes = {0, 1, 2, (byte) 0xfe, (byte) 0xff};

        Object[] back = roundTrip(s, "message-back", obj, 7, -3, "text", true, false, bytes);

        assertThat(back).hasSize(7);
        assertThat(plain(back[0])).isEqualTo(plain(obj));
        assertThat(back[1]).isEqualTo(7);
        assertThat(back[2]).isEqualTo(-3);
        assertThat(back[3]).isEqualTo("text");
        assertThat(back[4]).isEqualTo(true);
        assertThat(back[5]).isEqualTo(false);
        assertThat((byte[]) back[6]).containsExactly(bytes);
        assertThat(carriers).as("transports that carried messages").isNotEmpty();
        assertThat(carriers.get(carriers.size() - 1)).isEqualTo(mode.finalTransport);
        if (mode != Mode.POLLING_THEN_UPGRADE) {
            assertThat(carriers).containsOnly(mode.finalTransport);
        }
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void messageWithAckIsAcknowledgedWithTheSameArguments(Mode mode) throws Exception {
        Socket s = socket("/", mode, null, new CopyOnWriteArrayList<>());
        connectAndReadAuth(s);
        JSONObject obj = new JSONObject().put("k", "v").put("i", 1);
        byte[] bytes = {9, 8, 7};
        CompletableFuture<Object[]> acked = new CompletableFuture<>();
        s.emit("message-with-ack", new Object[]{obj, 5, "five", true, bytes}, (Ack) acked::complete);

        Object[] back = acked.get(WAIT_SECONDS, TimeUnit.SECONDS);

        assertThat(back).hasSize(5);
        assertThat(plain(back[0])).isEqualTo(plain(obj));
        assertThat(back[1]).isEqualTo(5);
        assertThat(back[2]).isEqualTo("five");
        assertThat(back[3]).isEqualTo(true);
        assertThat((byte[]) back[4]).containsExactly(bytes);
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void customNamespaceEchoesTheAuthPayload(Mode mode) throws Exception {
        Socket s = socket("/custom", mode, Map.of("token", "abc"), new CopyOnWriteArrayList<>());
        JSONObject auth = connectAndReadAuth(s);
        assertThat(plain(auth)).isEqualTo(Map.of("token", "abc"));
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void unknownNamespaceGetsConnectError(Mode mode) throws Exception {
        Socket s = socket("/nope", mode, null, new CopyOnWriteArrayList<>());
        CompletableFuture<Object> error = new CompletableFuture<>();
        CompletableFuture<Void> connected = new CompletableFuture<>();
        s.on(Socket.EVENT_CONNECT_ERROR, a -> error.complete(a.length > 0 ? a[0] : null));
        s.on(Socket.EVENT_CONNECT, a -> connected.complete(null));
        s.connect();

        Object data = error.get(WAIT_SECONDS, TimeUnit.SECONDS);

        String message = data instanceof JSONObject o ? o.optString("message") : String.valueOf(data);
        assertThat(message).isEqualTo("Invalid namespace");
        assertThat(connected).isNotDone();
        assertThat(s.connected()).isFalse();
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void clientDisconnectsCleanly(Mode mode) throws Exception {
        Socket s = socket("/", mode, null, new CopyOnWriteArrayList<>());
        connectAndReadAuth(s);
        CompletableFuture<Object> reason = new CompletableFuture<>();
        s.on(Socket.EVENT_DISCONNECT, a -> reason.complete(a.length > 0 ? a[0] : null));

        s.disconnect();

        assertThat(reason.get(WAIT_SECONDS, TimeUnit.SECONDS)).isEqualTo("io client disconnect");
        assertThat(s.connected()).isFalse();
        // The server is still there for the next client.
        Socket next = socket("/", mode, null, new CopyOnWriteArrayList<>());
        connectAndReadAuth(next);
        assertThat(roundTrip(next, "message-back", "again")).containsExactly("again");
    }

    @Test
    void twoNamespacesShareOneConnection() throws Exception {
        // One Manager, two namespaces: the client multiplexes "/" and "/custom" over one Engine.IO session.
        IO.Options options = IO.Options.builder().setReconnection(false).setForceNew(true)
                .setTransports(Mode.WEBSOCKET_ONLY.transports).build();
        options.callFactory = HTTP;
        options.webSocketFactory = HTTP;
        String root = base.toString().replaceAll("/+$", "");
        Manager manager = new Manager(URI.create(root), options);
        Socket main = manager.socket("/");
        IO.Options customOptions = IO.Options.builder().setAuth(Map.of("token", "abc")).build();
        Socket custom = manager.socket("/custom", customOptions);
        sockets.add(main);
        sockets.add(custom);
        connectAndReadAuth(main);
        JSONObject auth = connectAndReadAuth(custom);
        assertThat(auth.optString("token")).isEqualTo("abc");
        assertThat(roundTrip(main, "message-back", 1, "x")).containsExactly(1, "x");
    }

    /**
     * With connection state recovery on (the interop profile), the server appends its offset to every event, as the
     * reference server does; this client (no recovery support) hands it to listeners as one more argument.
     */
    private static Object[] withoutOffset(Object[] received, int sent) {
        if (received.length == sent + 1 && received[sent] instanceof String offset) {
            assertThat(offset).as("recovery offset").matches("[A-Za-z0-9_-]+");
            return java.util.Arrays.copyOf(received, sent);
        }
        return received;
    }

    /** org.json trees as plain maps and lists (this old org.json has no equality of its own). */
    private static Object plain(Object json) throws Exception {
        if (json instanceof JSONObject o) {
            Map<String, Object> map = new java.util.HashMap<>();
            for (java.util.Iterator<?> keys = o.keys(); keys.hasNext(); ) {
                String key = (String) keys.next();
                map.put(key, plain(o.get(key)));
            }
            return map;
        }
        if (json instanceof JSONArray a) {
            List<Object> list = new ArrayList<>();
            for (int i = 0; i < a.length(); i++) {
                list.add(plain(a.get(i)));
            }
            return list;
        }
        return json == JSONObject.NULL ? "<null>" : json;
    }

    /** Emits {@code message} until a {@code message-back} arrives over the WebSocket, i.e. the upgrade is done. */
    private static void awaitUpgrade(Socket s, List<String> carriers) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_SECONDS);
        while (System.nanoTime() < deadline) {
            roundTrip(s, "message-back", "probe");
            if (!carriers.isEmpty() && WebSocket.NAME.equals(carriers.get(carriers.size() - 1))) {
                return;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("no upgrade to websocket; messages came over " + carriers);
    }

    /** Emits {@code message} with the arguments and returns those of the next {@code event} (bounded wait). */
    private static Object[] roundTrip(Socket s, String event, Object... args) throws Exception {
        CompletableFuture<Object[]> back = new CompletableFuture<>();
        io.socket.emitter.Emitter.Listener listener = back::complete;
        s.once(event, listener);
        try {
            s.emit("message", args);
            return withoutOffset(back.get(WAIT_SECONDS, TimeUnit.SECONDS), args.length);
        } finally {
            s.off(event, listener);
        }
    }
}
