package dev.switchboard.container;

import dev.switchboard.adapter.cluster.ClusterOptions;
import java.net.URI;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Function;

/**
 * The adapter settings: {@code switchboard.adapter} ({@code memory} or {@code redis}), {@code switchboard.redis.url}
 * (password and TLS through the URL: {@code rediss://:secret@host:6380/0}), {@code switchboard.redis.key-prefix}
 * and {@code switchboard.redis.request-timeout} (ms). Environment variables override them through MicroProfile
 * Config (SWITCHBOARD_ADAPTER, SWITCHBOARD_REDIS_URL, ...). A bad value names its key.
 */
public record ClusterSettings(Kind adapter, URI redisUrl, ClusterOptions options) {

    public enum Kind { MEMORY, REDIS }

    public static final String DEFAULT_URL = "redis://localhost:6379";

    public static ClusterSettings from(Function<String, Optional<String>> lookup) {
        String p = SwitchboardSettings.PREFIX;
        String kind = value(lookup, "adapter").orElse("memory").toLowerCase(Locale.ROOT);
        Kind adapter = switch (kind) {
            case "memory" -> Kind.MEMORY;
            case "redis" -> Kind.REDIS;
            default -> throw new IllegalArgumentException(p + "adapter: expected memory or redis, got '" + kind + "'");
        };
        String url = value(lookup, "redis.url").orElse(DEFAULT_URL);
        URI uri;
        try {
            uri = URI.create(url);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(p + "redis.url: not a URL: " + e.getMessage(), e);
        }
        if (!"redis".equals(uri.getScheme()) && !"rediss".equals(uri.getScheme()) || uri.getHost() == null) {
            throw new IllegalArgumentException(p + "redis.url: expected redis://host:port or rediss://host:port, got '"
                    + uri.getScheme() + "://" + uri.getHost() + "...'");
        }
        ClusterOptions options = ClusterOptions.defaults();
        String prefix = value(lookup, "redis.key-prefix").orElse(ClusterOptions.DEFAULT_PREFIX);
        try {
            options = options.withKeyPrefix(prefix);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(p + "redis.key-prefix: " + e.getMessage(), e);
        }
        Optional<String> timeout = value(lookup, "redis.request-timeout");
        if (timeout.isPresent()) {
            long ms;
            try {
                ms = Long.parseLong(timeout.get());
            } catch (NumberFormatException e) {
                ms = -1;
            }
            if (ms <= 0 || ms > 600_000) {
                throw new IllegalArgumentException(p + "redis.request-timeout: expected a whole number of ms from 1 to "
                        + "600000, got '" + timeout.get() + "'");
            }
            options = options.withRequestTimeoutMillis(ms);
        }
        return new ClusterSettings(adapter, uri, options);
    }

    private static Optional<String> value(Function<String, Optional<String>> lookup, String key) {
        return lookup.apply(SwitchboardSettings.PREFIX + key).map(String::trim).filter(v -> !v.isEmpty());
    }

    @Override
    public String toString() {
        // never print the password of the URL
        return "ClusterSettings[adapter=" + adapter + ", redis=" + redisUrl.getScheme() + "://" + redisUrl.getHost()
                + ":" + redisUrl.getPort() + ", options=" + options + "]";
    }
}
