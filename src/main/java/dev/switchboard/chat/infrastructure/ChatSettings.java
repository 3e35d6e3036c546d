package dev.switchboard.chat.infrastructure;

import dev.switchboard.chat.application.ChatRules;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/** The chat's MicroProfile Config keys, read once; a bad value fails the deployment naming the key. */
@ApplicationScoped
public class ChatSettings {
    @Inject
    @ConfigProperty(name = "switchboard.chat.max-message-length", defaultValue = "2000")
    int maxMessageLength;

    @Inject
    @ConfigProperty(name = "switchboard.chat.max-request-bytes", defaultValue = "65536")
    int maxRequestBytes;

    @Inject
    @ConfigProperty(name = "switchboard.chat.dedup.ttl-ms", defaultValue = "3600000")
    long dedupTtlMillis;

    @Inject
    @ConfigProperty(name = "switchboard.chat.dedup.max-entries", defaultValue = "100000")
    long dedupMaxEntries;

    @Inject
    @ConfigProperty(name = "switchboard.chat.rest-rate-limit.writes", defaultValue = "10")
    int restWrites;

    @Inject
    @ConfigProperty(name = "switchboard.chat.rest-rate-limit.requests", defaultValue = "100")
    int restRequests;

    @Inject
    @ConfigProperty(name = "switchboard.chat.rest-rate-limit.window-ms", defaultValue = "1000")
    long restWindowMillis;

    private ChatRules rules;

    @Produces
    public ChatRules rules() {
        if (rules == null) {
            rules = new ChatRules(maxMessageLength);
        }
        return rules;
    }

    /** Largest REST request body accepted, bytes (switchboard.chat.max-request-bytes). */
    public int maxRequestBytes() {
        if (maxRequestBytes < 1024) {
            throw new IllegalArgumentException("switchboard.chat.max-request-bytes must be at least 1024");
        }
        return maxRequestBytes;
    }

    /** How long a (user, message_id) dedup claim lives, ms; the database's unique key covers any time after. */
    public long dedupTtlMillis() {
        return positive("switchboard.chat.dedup.ttl-ms", dedupTtlMillis, 30L * 86_400_000);
    }

    /** Most dedup claims one node keeps in memory (without Redis); older ones are left to the database's key. */
    public int dedupMaxEntries() {
        return (int) positive("switchboard.chat.dedup.max-entries", dedupMaxEntries, 10_000_000);
    }

    /** REST writes (post a message, broadcast) per user and window. */
    public int restWrites() {
        return (int) positive("switchboard.chat.rest-rate-limit.writes", restWrites, 1_000_000);
    }

    /** Every authenticated REST call per user and window (the looser limit). */
    public int restRequests() {
        return (int) positive("switchboard.chat.rest-rate-limit.requests", restRequests, 1_000_000);
    }

    public long restWindowMillis() {
        return positive("switchboard.chat.rest-rate-limit.window-ms", restWindowMillis, 3_600_000);
    }

    /**
     * Checks every key now, so that a bad value stops the start-up naming the key rather than failing the first
     * request that reads it.
     */
    public void validate() {
        rules();
        maxRequestBytes();
        dedupTtlMillis();
        dedupMaxEntries();
        restWrites();
        restRequests();
        restWindowMillis();
    }

    private static long positive(String key, long value, long max) {
        if (value < 1 || value > max) {
            throw new IllegalArgumentException(key + ": expected a whole number from 1 to " + max + ", got " + value);
        }
        return value;
    }
}
