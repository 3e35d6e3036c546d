package dev.switchboard.chat.security;

import java.time.Instant;
import java.util.Objects;
import java.util.Set;

/**
 * Who a verified token speaks for.
 *
 * @param userId    from {@code upn}, else {@code preferred_username}, else {@code sub}
 * @param groups    the {@code groups} claim (roles: "user", "admin")
 * @param expiresAt the token's {@code exp}
 */
public record ChatPrincipal(String userId, Set<String> groups, Instant expiresAt) {
    public ChatPrincipal {
        Objects.requireNonNull(userId, "userId");
        Objects.requireNonNull(expiresAt, "expiresAt");
        groups = Set.copyOf(groups);
    }

    public boolean inGroup(String group) {
        return groups.contains(group);
    }
}
