package dev.switchboard.socketio;

import java.util.function.Consumer;

/**
 * Runs for each socket that connects to a namespace, before it is connected. Call {@code next.accept(null)} to
 * go on, or {@code next.accept(new MiddlewareError(...))} to refuse: the client gets a CONNECT_ERROR with
 * {"message":..,"data":..}. next may be called later, from any thread; only its first call counts.
 */
@FunctionalInterface
public interface ConnectionMiddleware {
    void handle(Socket socket, Consumer<MiddlewareError> next);
}
