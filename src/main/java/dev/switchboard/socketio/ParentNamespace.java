package dev.switchboard.socketio;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Dynamic namespaces: a child namespace is created for each accepted name on its first CONNECT. Children take the
 * middlewares and connection listeners registered here before they were created.
 * <pre>{@code
 * io.of(Pattern.compile("^/room-\\d+$")).onConnection(socket -> socket.emit("welcome", socket.namespace().name()));
 * }</pre>
 */
public final class ParentNamespace {

    private static final Logger LOG = Logger.getLogger(ParentNamespace.class.getName());

    private final SocketIoServer server;
    private final NamespaceMatcher matcher;
    private final List<ConnectionMiddleware> middlewares = new CopyOnWriteArrayList<>();
    private final List<Consumer<Socket>> connectionListeners = new CopyOnWriteArrayList<>();
    private final List<Namespace> children = new CopyOnWriteArrayList<>();

    ParentNamespace(SocketIoServer server, NamespaceMatcher matcher) {
        this.server = server;
        this.matcher = matcher;
    }

    public ParentNamespace use(ConnectionMiddleware middleware) {
        middlewares.add(middleware);
        return this;
    }

    public ParentNamespace onConnection(Consumer<Socket> listener) {
        connectionListeners.add(listener);
        return this;
    }

    /** The child namespaces created so far. */
    public List<Namespace> children() {
        return List.copyOf(children);
    }

    /** Sends to every socket of every child namespace. */
    public boolean emit(String event, Object... args) {
        children.forEach(child -> child.emit(event, args));
        return true;
    }

    boolean matches(String name, JsonNode auth) {
        try {
            return matcher.matches(name, auth);
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, e, () -> "namespace matcher threw for " + name);
            return false;
        }
    }

    /** The child for this name, created (with this parent's middlewares and listeners) if new. */
    Namespace child(String name) {
        return server.namespace(name, child -> {
            middlewares.forEach(child::use);
            connectionListeners.forEach(child::onConnection);
            children.add(child);
        });
    }
}
