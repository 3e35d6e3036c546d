package dev.switchboard.socketio;

/**
 * Connection state recovery: a client that reconnects within the window gets its id, rooms and data back, and the
 * broadcast events it missed.
 *
 * @param maxDisconnectionDurationMillis how long a disconnected session and the broadcast log are kept
 * @param skipMiddlewares                whether a recovered connection skips the connection middlewares
 */
public record RecoveryOptions(long maxDisconnectionDurationMillis, boolean skipMiddlewares) {
    public RecoveryOptions {
        if (maxDisconnectionDurationMillis <= 0) {
            throw new IllegalArgumentException("maxDisconnectionDurationMillis must be > 0: "
                    + maxDisconnectionDurationMillis);
        }
    }

    /** The reference defaults: two minutes, middlewares skipped. */
    public static RecoveryOptions defaults() {
        return new RecoveryOptions(120_000, true);
    }
}
