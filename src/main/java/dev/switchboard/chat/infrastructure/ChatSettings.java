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
}
