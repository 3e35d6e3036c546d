package dev.switchboard.engineio;

/**
 * Admission limits of one node's Engine.IO server.
 *
 * @param maxConnections             open sessions allowed at once; handshakes over it get 503 (0: no limit)
 * @param handshakesPerSecondPerIp   handshakes one remote address may make per second; more get 429 (0: no limit)
 */
public record EngineLimits(int maxConnections, int handshakesPerSecondPerIp) {
    public static final EngineLimits NONE = new EngineLimits(0, 0);

    public EngineLimits {
        if (maxConnections < 0 || handshakesPerSecondPerIp < 0) {
            throw new IllegalArgumentException("limits must not be negative: " + maxConnections + ", "
                    + handshakesPerSecondPerIp);
        }
    }
}
