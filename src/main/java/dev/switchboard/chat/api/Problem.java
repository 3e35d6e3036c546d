package dev.switchboard.chat.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * An RFC 9457 problem details body (application/problem+json), plus the chat's stable error code and, on 429, how
 * long to wait ({@code retry_after_ms}, an extension member).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Problem(String type, String title, int status, String detail, String code,
                      @JsonProperty("retry_after_ms") Long retryAfterMillis) implements ApiBody {
    public Problem(String type, String title, int status, String detail, String code) {
        this(type, title, status, detail, code, null);
    }
}
