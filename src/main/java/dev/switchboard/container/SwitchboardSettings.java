package dev.switchboard.container;

import dev.switchboard.engineio.EngineLimits;
import dev.switchboard.engineio.EngineOptions;
import dev.switchboard.engineio.SendQueueLimits;
import dev.switchboard.socketio.RecoveryOptions;
import dev.switchboard.socketio.SocketIoOptions;
import dev.switchboard.socketio.parser.SioDecoderLimits;

import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * Every setting, read from MicroProfile Config keys under {@code switchboard.} (so SWITCHBOARD_PING_INTERVAL and the
 * like override them) onto the core's option records. A bad value stops the deployment with a message naming the key.
 *
 * @param profile the named configuration set: "default", "conformance", "bench", "production"
 * @param clientAddresses whose X-Forwarded-For is believed (switchboard.trusted-proxies)
 */
public record SwitchboardSettings(String profile, String path, EngineOptions engine, SocketIoOptions socketIo,
                                  int schedulerThreads, EngineLimits limits, long drainTimeoutMillis,
                                  WebSocketServer webSocketServer, PollingServer pollingServer,
                                  ClientAddresses clientAddresses) {
    public static final String PREFIX = "switchboard.";
    /** Default bound on a graceful drain (switchboard.drain-timeout), ms. */
    public static final long DEFAULT_DRAIN_TIMEOUT_MILLIS = 10_000;

    /** Without admission limits, with the default drain timeout. */
    public SwitchboardSettings(String profile, String path, EngineOptions engine, SocketIoOptions socketIo,
                               int schedulerThreads) {
        this(profile, path, engine, socketIo, schedulerThreads, EngineLimits.NONE, DEFAULT_DRAIN_TIMEOUT_MILLIS,
                WebSocketServer.GRIZZLY, PollingServer.GRIZZLY, ClientAddresses.PEER_ONLY);
    }

    /**
     * What serves WebSocket upgrades (switchboard.websocket.server): {@code grizzly}, the default, reads and writes
     * frames on Payara's HTTP listener itself and falls back to the Jakarta WebSocket endpoint where it cannot;
     * {@code jakarta} always uses the Jakarta WebSocket endpoint (Tyrus).
     */
    public enum WebSocketServer { GRIZZLY, JAKARTA }

    /**
     * What serves polling requests (switchboard.polling.server): {@code grizzly}, the default, answers them on
     * Payara's HTTP listener itself, below the servlet container, and falls back to the servlet where it cannot;
     * {@code servlet} always uses the servlet.
     */
    public enum PollingServer { GRIZZLY, SERVLET }

    /** Reads settings through a lookup (MicroProfile Config in the container, a map in tests). */
    public static SwitchboardSettings from(Function<String, Optional<String>> lookup) {
        Reader r = new Reader(lookup);
        EngineOptions d = EngineOptions.defaults();
        SocketIoOptions s = SocketIoOptions.defaults();
        EngineOptions engine;
        SocketIoOptions socketIo;
        String path = r.string("path", "/socket.io/");
        if (!path.matches("/[A-Za-z0-9._~/-]*")) {
            throw new IllegalArgumentException(PREFIX + "path: must be a URL path starting with '/', got '" + path + "'");
        }
        try {
            engine = new EngineOptions(
                    r.millis("ping-interval", d.pingIntervalMillis()),
                    r.millis("ping-timeout", d.pingTimeoutMillis()),
                    (int) r.positive("max-http-buffer-size", d.maxPayload(), Integer.MAX_VALUE),
                    r.millis("upgrade-timeout", d.upgradeTimeoutMillis()),
                    new LinkedHashSet<>(r.list("transports", List.copyOf(d.transports()))),
                    r.list("cors.allowed-origins", d.allowedOrigins()),
                    r.string("cookie", "").isEmpty() ? null : r.string("cookie", ""),
                    (int) r.positive("compression-threshold", d.compressionThreshold(), Integer.MAX_VALUE),
                    new SendQueueLimits(
                            (int) r.positive("send-queue.max-packets", d.sendQueue().maxPackets(), 10_000_000),
                            r.positive("send-queue.max-bytes", d.sendQueue().maxBytes(), 1L << 40)));
            RecoveryOptions recovery = r.bool("recovery.enabled", false)
                    ? new RecoveryOptions(r.millis("recovery.max-disconnection-duration", 120_000), true) : null;
            socketIo = new SocketIoOptions(
                    r.millis("connect-timeout", s.connectTimeoutMillis()),
                    new SioDecoderLimits((int) r.positive("max-attachments", s.decoderLimits().maxAttachments(), 10_000),
                            engine.maxPayload()),
                    recovery,
                    r.millis("ack-timeout", s.defaultAckTimeoutMillis()));
        } catch (IllegalArgumentException e) {
            if (e.getMessage() != null && e.getMessage().startsWith(PREFIX)) {
                throw e;
            }
            throw new IllegalArgumentException(PREFIX + "*: inconsistent settings: " + e.getMessage(), e);
        }
        EngineLimits limits = new EngineLimits((int) r.atLeastZero("max-connections", 0, 10_000_000),
                (int) r.atLeastZero("handshake-rate", 0, 1_000_000));
        return new SwitchboardSettings(r.string("profile", "default"), path, engine, socketIo,
                (int) r.positive("scheduler-threads", 2, 64), limits,
                r.millis("drain-timeout", DEFAULT_DRAIN_TIMEOUT_MILLIS), webSocketServer(r.string("websocket.server", "grizzly")),
                pollingServer(r.string("polling.server", "grizzly")),
                ClientAddresses.parse(PREFIX + "trusted-proxies", r.list("trusted-proxies", List.of())));
    }

    private static WebSocketServer webSocketServer(String raw) {
        return choice("websocket.server", raw, WebSocketServer.class);
    }

    private static PollingServer pollingServer(String raw) {
        return choice("polling.server", raw, PollingServer.class);
    }

    /** One of an enum's constants by its name in any case, or an error naming the key and the choices. */
    private static <E extends Enum<E>> E choice(String key, String raw, Class<E> type) {
        String wanted = raw.trim().toUpperCase(java.util.Locale.ROOT);
        E[] all = type.getEnumConstants();
        for (E e : all) {
            if (e.name().equals(wanted)) {
                return e;
            }
        }
        String names = java.util.Arrays.stream(all).map(e -> e.name().toLowerCase(java.util.Locale.ROOT))
                .collect(java.util.stream.Collectors.joining(" or "));
        throw new IllegalArgumentException(PREFIX + key + ": expected " + names + ", got '" + raw + "'");
    }

    private record Reader(Function<String, Optional<String>> lookup) {
        String string(String key, String fallback) {
            return lookup.apply(PREFIX + key).map(String::trim).orElse(fallback);
        }

        long positive(String key, long fallback, long max) {
            Optional<String> raw = lookup.apply(PREFIX + key).map(String::trim).filter(v -> !v.isEmpty());
            if (raw.isEmpty()) {
                return fallback;
            }
            try {
                long v = Long.parseLong(raw.get());
                if (v > 0 && v <= max) {
                    return v;
                }
            } catch (NumberFormatException ignored) {
                // reported below
            }
            throw new IllegalArgumentException(PREFIX + key + ": expected a whole number from 1 to " + max
                    + ", got '" + raw.get() + "'");
        }

        /** 0 (meaning "no limit") up to max. */
        long atLeastZero(String key, long fallback, long max) {
            Optional<String> raw = lookup.apply(PREFIX + key).map(String::trim);
            if (raw.isPresent() && raw.get().equals("0")) {
                return 0;
            }
            return positive(key, fallback, max);
        }

        long millis(String key, long fallback) {
            return positive(key, fallback, 24L * 3600 * 1000);
        }

        boolean bool(String key, boolean fallback) {
            String v = string(key, String.valueOf(fallback)).toLowerCase(java.util.Locale.ROOT);
            return switch (v) {
                case "true" -> true;
                case "false" -> false;
                default -> throw new IllegalArgumentException(PREFIX + key + ": expected true or false, got '" + v + "'");
            };
        }

        List<String> list(String key, List<String> fallback) {
            Optional<String> raw = lookup.apply(PREFIX + key);
            if (raw.isEmpty()) {
                return fallback;
            }
            List<String> items = Arrays.stream(raw.get().split(",")).map(String::trim).filter(x -> !x.isEmpty()).toList();
            if (key.equals("transports")) {
                for (String t : items) {
                    if (!t.equals(EngineOptions.POLLING) && !t.equals(EngineOptions.WEBSOCKET)) {
                        throw new IllegalArgumentException(PREFIX + key + ": unknown transport '" + t
                                + "' (use polling, websocket)");
                    }
                }
                if (items.isEmpty()) {
                    throw new IllegalArgumentException(PREFIX + key + ": at least one transport is needed");
                }
            }
            return items;
        }
    }
}
