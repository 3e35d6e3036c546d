package dev.switchboard.socketio;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The application's callbacks on one socket, and the order they run in for an incoming event: onAny listeners,
 * packet middlewares, then the event's handlers. An exception from application code is logged, never thrown on.
 */
final class SocketListeners {

    private static final Logger LOG = Logger.getLogger(SocketListeners.class.getName());

    private final Map<String, List<EventHandler>> handlers = new ConcurrentHashMap<>();
    private final List<AnyListener> anyIncoming = new CopyOnWriteArrayList<>();
    private final List<AnyListener> anyOutgoing = new CopyOnWriteArrayList<>();
    private final List<PacketMiddleware> middlewares = new CopyOnWriteArrayList<>();
    private final List<Consumer<DisconnectReason>> disconnecting = new CopyOnWriteArrayList<>();
    private final List<Consumer<DisconnectReason>> disconnect = new CopyOnWriteArrayList<>();
    private final List<Consumer<Exception>> errors = new CopyOnWriteArrayList<>();

    void on(String event, EventHandler handler) {
        handlers.computeIfAbsent(event, k -> new CopyOnWriteArrayList<>()).add(handler);
    }

    void off(String event) {
        handlers.remove(event);
    }

    void onAny(AnyListener listener) {
        anyIncoming.add(listener);
    }

    void onAnyOutgoing(AnyListener listener) {
        anyOutgoing.add(listener);
    }

    void use(PacketMiddleware middleware) {
        middlewares.add(middleware);
    }

    void onDisconnecting(Consumer<DisconnectReason> listener) {
        disconnecting.add(listener);
    }

    void onDisconnect(Consumer<DisconnectReason> listener) {
        disconnect.add(listener);
    }

    void onError(Consumer<Exception> listener) {
        errors.add(listener);
    }

    boolean hasOutgoingListeners() {
        return !anyOutgoing.isEmpty();
    }

    /** Runs onAny listeners, then the middlewares; {@code dispatch} runs the handlers once all middlewares passed. */
    void incoming(String event, List<JsonNode> args, Runnable dispatch) {
        for (AnyListener listener : anyIncoming) {
            guard("onAny listener", () -> listener.onEvent(event, args));
        }
        if (middlewares.isEmpty()) { // the common case: no packet copy for middlewares that are not there
            dispatch.run();
            return;
        }
        List<JsonNode> packet = new ArrayList<>(args.size() + 1);
        packet.add(com.fasterxml.jackson.databind.node.TextNode.valueOf(event));
        packet.addAll(args);
        runMiddleware(List.copyOf(packet), List.copyOf(middlewares), 0, dispatch);
    }

    private void runMiddleware(List<JsonNode> packet, List<PacketMiddleware> chain, int index, Runnable dispatch) {
        if (index == chain.size()) {
            dispatch.run();
            return;
        }
        java.util.concurrent.atomic.AtomicBoolean called = new java.util.concurrent.atomic.AtomicBoolean();
        Consumer<Exception> next = error -> {
            if (!called.compareAndSet(false, true)) {
                return;
            }
            if (error != null) {
                error(error);
            } else {
                runMiddleware(packet, chain, index + 1, dispatch);
            }
        };
        try {
            chain.get(index).handle(packet, next);
        } catch (RuntimeException e) {
            next.accept(e);
        }
    }

    void dispatch(String event, List<JsonNode> args, Ack ack) {
        for (EventHandler handler : handlers.getOrDefault(event, List.of())) {
            try {
                handler.handle(args, ack);
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, e, () -> "handler of \"" + event + "\" threw");
            }
        }
    }

    void outgoing(String event, List<JsonNode> args) {
        for (AnyListener listener : anyOutgoing) {
            guard("onAnyOutgoing listener", () -> listener.onEvent(event, args));
        }
    }

    void disconnecting(DisconnectReason reason) {
        for (Consumer<DisconnectReason> listener : disconnecting) {
            guard("disconnecting listener", () -> listener.accept(reason));
        }
    }

    void disconnected(DisconnectReason reason) {
        for (Consumer<DisconnectReason> listener : disconnect) {
            guard("disconnect listener", () -> listener.accept(reason));
        }
    }

    void error(Exception error) {
        if (errors.isEmpty()) {
            LOG.log(Level.FINE, "packet refused by a middleware: {0}", error.toString());
        }
        for (Consumer<Exception> listener : errors) {
            guard("error listener", () -> listener.accept(error));
        }
    }

    static void guard(String what, Runnable code) {
        try {
            code.run();
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, e, () -> what + " threw");
        }
    }
}
