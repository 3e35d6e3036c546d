package dev.switchboard.chat.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * A request for a development token: {"user":"alice","groups":["admin"],"ttl_seconds":5} (groups and ttl optional).
 *
 * @param ttlSeconds null for the configured default
 */
public record DevTokenRequest(String user, List<String> groups, Long ttlSeconds) {
    private static final Pattern USER = Pattern.compile("[A-Za-z0-9._@-]{1,64}");
    private static final Pattern GROUP = Pattern.compile("[A-Za-z0-9._-]{1,32}");
    private static final int MAX_GROUPS = 16;
    private static final ObjectMapper JSON = new ObjectMapper();

    public DevTokenRequest {
        if (user == null || !USER.matcher(user).matches()) {
            throw new IllegalArgumentException("user: 1-64 characters of A-Z a-z 0-9 . _ @ -");
        }
        groups = List.copyOf(groups);
        if (groups.size() > MAX_GROUPS || !groups.stream().allMatch(g -> GROUP.matcher(g).matches())) {
            throw new IllegalArgumentException("groups: at most " + MAX_GROUPS
                    + " names of 1-32 characters of A-Z a-z 0-9 . _ -");
        }
        if (ttlSeconds != null && (ttlSeconds < 1 || ttlSeconds > 86_400)) {
            throw new IllegalArgumentException("ttl_seconds: a whole number from 1 to 86400");
        }
    }

    /** @throws IllegalArgumentException with a message fit for the client */
    public static DevTokenRequest parse(String body) {
        JsonNode json;
        try {
            json = body == null || body.isBlank() ? null : JSON.readTree(body);
        } catch (IOException e) {
            throw new IllegalArgumentException("the body is not valid JSON");
        }
        if (json == null || !json.isObject()) {
            throw new IllegalArgumentException("the body must be a JSON object {\"user\": ..., \"groups\": [...]}");
        }
        JsonNode user = json.get("user");
        if (user == null || !user.isTextual()) {
            throw new IllegalArgumentException("user: a string is required");
        }
        List<String> groups = new ArrayList<>();
        JsonNode g = json.get("groups");
        if (g != null && !g.isNull()) {
            if (!g.isArray()) {
                throw new IllegalArgumentException("groups: an array of strings");
            }
            for (JsonNode item : g) {
                if (!item.isTextual()) {
                    throw new IllegalArgumentException("groups: an array of strings");
                }
                groups.add(item.asText());
            }
        }
        JsonNode ttl = json.get("ttl_seconds");
        Long ttlSeconds = null;
        if (ttl != null && !ttl.isNull()) {
            if (!ttl.isIntegralNumber() || !ttl.canConvertToLong()) {
                throw new IllegalArgumentException("ttl_seconds: a whole number from 1 to 86400");
            }
            ttlSeconds = ttl.asLong();
        }
        return new DevTokenRequest(user.asText(), groups, ttlSeconds);
    }
}
