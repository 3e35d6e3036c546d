package dev.switchboard.chat.infrastructure.realtime;

import dev.switchboard.chat.application.ChatRules;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * The realtime chat's settings (MicroProfile Config keys under {@code switchboard.chat.}).
 *
 * @param defaultRooms     rooms every user joins on connect ({@code default-rooms}, default "general")
 * @param maxMessageLength characters of a message's text ({@code max-message-length}, default 2000)
 * @param rateMessages     messages a socket may send per window ({@code rate-limit.messages}, default 5)
 * @param rateWindowMillis the window ({@code rate-limit.window-ms}, default 1000)
 * @param rateScope        whom the limit counts ({@code rate-limit.scope}): each socket (default), or each user
 *                         across all their sockets and, on a Redis cluster, all nodes
 * @param handlerThreads   threads that run the chat's socket work, which blocks on the database
 *                         ({@code handler-threads}, default 16; see {@link SocketWork})
 */
public record RealtimeSettings(List<String> defaultRooms, int maxMessageLength, int rateMessages, long rateWindowMillis,
                               RateScope rateScope, int handlerThreads) {
    public static final String PREFIX = "switchboard.chat.";

    /** Whom the chat_message rate limit counts. */
    public enum RateScope { SOCKET, USER }

    public RealtimeSettings {
        defaultRooms = List.copyOf(defaultRooms);
        if (maxMessageLength < 1 || rateMessages < 1 || rateWindowMillis < 1 || handlerThreads < 1) {
            throw new IllegalArgumentException("chat settings must be positive");
        }
        java.util.Objects.requireNonNull(rateScope, "rateScope");
    }

    public static RealtimeSettings defaults() {
        return new RealtimeSettings(List.of("general"), 2000, 5, 1000, RateScope.SOCKET, 16);
    }

    /** @throws IllegalArgumentException naming the key of a bad value */
    public static RealtimeSettings from(Function<String, Optional<String>> lookup) {
        RealtimeSettings d = defaults();
        List<String> rooms = lookup.apply(PREFIX + "default-rooms")
                .map(v -> Arrays.stream(v.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList())
                .orElse(d.defaultRooms());
        return new RealtimeSettings(rooms,
                (int) number(lookup, "max-message-length", d.maxMessageLength(), ChatRules.MAX_CONFIGURABLE_LENGTH),
                (int) number(lookup, "rate-limit.messages", d.rateMessages(), 100_000),
                number(lookup, "rate-limit.window-ms", d.rateWindowMillis(), 3_600_000),
                scope(lookup, d.rateScope()),
                (int) number(lookup, "handler-threads", d.handlerThreads(), 1024));
    }

    private static RateScope scope(Function<String, Optional<String>> lookup, RateScope fallback) {
        Optional<String> raw = lookup.apply(PREFIX + "rate-limit.scope").map(String::trim).filter(s -> !s.isEmpty());
        if (raw.isEmpty()) {
            return fallback;
        }
        return switch (raw.get().toLowerCase(java.util.Locale.ROOT)) {
            case "socket" -> RateScope.SOCKET;
            case "user" -> RateScope.USER;
            default -> throw new IllegalArgumentException(PREFIX + "rate-limit.scope: expected socket or user, got '"
                    + raw.get() + "'");
        };
    }

    private static long number(Function<String, Optional<String>> lookup, String key, long fallback, long max) {
        Optional<String> raw = lookup.apply(PREFIX + key).map(String::trim).filter(s -> !s.isEmpty());
        if (raw.isEmpty()) {
            return fallback;
        }
        try {
            long v = Long.parseLong(raw.get());
            if (v >= 1 && v <= max) {
                return v;
            }
        } catch (NumberFormatException ignored) {
            // reported below
        }
        throw new IllegalArgumentException(PREFIX + key + ": expected a whole number from 1 to " + max
                + ", got '" + raw.get() + "'");
    }
}
