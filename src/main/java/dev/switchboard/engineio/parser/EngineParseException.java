package dev.switchboard.engineio.parser;

/** A packet or payload that does not follow Engine.IO v4; the session that sent it is closed. */
public final class EngineParseException extends Exception {
    public EngineParseException(String message) {
        super(message, null, false, false);
    }
}
