package dev.switchboard.engineio;

/** Time source, so that heartbeats and deadlines can be driven by a fake clock in tests. */
@FunctionalInterface
public interface Clock {
    long nowMillis();

    static Clock system() {
        return System::currentTimeMillis;
    }
}
