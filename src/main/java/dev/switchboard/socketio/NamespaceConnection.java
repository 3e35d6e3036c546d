package dev.switchboard.socketio;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.switchboard.adapter.RestoredSession;
import dev.switchboard.socketio.parser.SioPacket;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * One CONNECT to a namespace: restore the session if the client asks for recovery, run the middlewares, then
 * either refuse with CONNECT_ERROR or connect (CONNECT reply first, then the connection listeners).
 */
final class NamespaceConnection {

    private static final Logger LOG = Logger.getLogger(NamespaceConnection.class.getName());

    private final Namespace namespace;
    private final Client client;
    private final JsonNode auth;

    private NamespaceConnection(Namespace namespace, Client client, JsonNode auth) {
        this.namespace = namespace;
        this.client = client;
        this.auth = auth;
    }

    static void start(Namespace namespace, Client client, JsonNode auth) {
        new NamespaceConnection(namespace, client, auth).start();
    }

    private void start() {
        RecoveryOptions recovery = namespace.server().options().recovery();
        JsonNode pid = auth.get("pid");
        JsonNode offset = auth.get("offset");
        if (recovery != null && pid != null && pid.isTextual() && offset != null && offset.isTextual()) {
            namespace.adapter().restoreSession(pid.asText(), offset.asText()).whenComplete((restored, error) -> {
                if (error != null) {
                    LOG.log(Level.WARNING, error, () -> "restoring a session failed on " + namespace.name());
                }
                proceed(error == null ? restored.orElse(null) : null);
            });
        } else {
            proceed(null);
        }
    }

    private void proceed(RestoredSession restored) {
        try {
            Socket socket = new Socket(namespace, client, auth, restored == null ? null : restored.session());
            List<ArrayNode> missed = restored == null ? List.of() : restored.missedPackets();
            RecoveryOptions recovery = namespace.server().options().recovery();
            if (restored != null && recovery.skipMiddlewares() && client.isOpen()) {
                connect(socket, missed);
                return;
            }
            runMiddlewares(socket, namespace.middlewares(), 0, error -> afterMiddlewares(socket, missed, error));
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, e, () -> "connecting to " + namespace.name() + " failed");
        }
    }

    private void runMiddlewares(Socket socket, List<ConnectionMiddleware> chain, int index,
                                Consumer<MiddlewareError> done) {
        if (index == chain.size()) {
            done.accept(null);
            return;
        }
        AtomicBoolean called = new AtomicBoolean();
        Consumer<MiddlewareError> next = error -> {
            if (!called.compareAndSet(false, true)) {
                return;
            }
            if (error != null) {
                done.accept(error);
            } else {
                runMiddlewares(socket, chain, index + 1, done);
            }
        };
        try {
            chain.get(index).handle(socket, next);
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, e, () -> "connection middleware of " + namespace.name() + " threw");
            next.accept(new MiddlewareError("Internal server error"));
        }
    }

    private void afterMiddlewares(Socket socket, List<ArrayNode> missed, MiddlewareError error) {
        if (!client.isOpen()) {
            LOG.log(Level.FINE, "middlewares done after the connection closed; dropping {0}", socket);
            socket.cleanup();
            return;
        }
        if (error != null) {
            LOG.log(Level.FINE, "connection to {0} refused: {1}", new Object[] {namespace.name(), error.message()});
            namespace.server().metrics().error("connect_refused");
            socket.cleanup();
            client.write(SioPacket.connectError(namespace.name(), error.toJson()), false);
            return;
        }
        connect(socket, missed);
    }

    private void connect(Socket socket, List<ArrayNode> missed) {
        if (!client.attach(socket)) {
            LOG.log(Level.FINE, "client closed or already in {0}; dropping {1}",
                    new Object[] {namespace.name(), socket});
            socket.cleanup();
            return;
        }
        namespace.added(socket);
        socket.onConnect(missed);
        namespace.server().metrics().connected(namespace.name());
        for (Consumer<Socket> listener : namespace.connectionListeners()) {
            SocketListeners.guard("connection listener of " + namespace.name(), () -> listener.accept(socket));
        }
    }
}
