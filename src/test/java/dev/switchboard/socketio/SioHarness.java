package dev.switchboard.socketio;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.socketio.parser.SioJson;
import dev.switchboard.testing.FakeScheduler;
import java.util.concurrent.atomic.AtomicReference;

/** A server on a fake clock, and helpers to open fake connections and connect them to namespaces. */
public final class SioHarness {

    public final FakeScheduler scheduler = new FakeScheduler();
    public final SocketIoServer server;

    public SioHarness() {
        this(SocketIoOptions.defaults().withConnectTimeoutMillis(1000));
    }

    public SioHarness(SocketIoOptions options) {
        server = new SocketIoServer(options, scheduler, scheduler);
    }

    public FakeEngineSocket open() {
        FakeEngineSocket engine = new FakeEngineSocket();
        server.onConnection(engine);
        return engine;
    }

    /** Opens a connection, connects it to {@code nsp} and returns the server-side socket. */
    public Socket connect(String nsp) {
        return connect(open(), nsp);
    }

    public Socket connect(FakeEngineSocket engine, String nsp) {
        AtomicReference<Socket> created = new AtomicReference<>();
        server.of(nsp).onConnection(socket -> {
            if (socket.client().engineSocket() == engine && created.get() == null) {
                created.set(socket);
            }
        });
        engine.receive("/".equals(nsp) ? "0" : "0" + nsp + ",");
        if (created.get() == null) {
            throw new AssertionError("not connected to " + nsp + ": " + engine.frames());
        }
        return created.get();
    }

    public static JsonNode json(String text) {
        try {
            return SioJson.read(text);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}
