package dev.switchboard.chat.api;

/** Marks the records the API reads and writes as JSON with Jackson ({@link JsonBodies}): snake_case, nulls kept. */
public interface ApiBody {
}
