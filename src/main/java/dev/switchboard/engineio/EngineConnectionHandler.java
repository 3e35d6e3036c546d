package dev.switchboard.engineio;

/** The layer above: told of each new session, before any of its messages arrive. */
@FunctionalInterface
public interface EngineConnectionHandler {
    void onConnection(EngineSocket socket);
}
