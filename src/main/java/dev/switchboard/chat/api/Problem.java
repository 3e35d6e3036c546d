package dev.switchboard.chat.api;

import com.fasterxml.jackson.annotation.JsonInclude;

/** An RFC 9457 problem details body (application/problem+json), plus the chat's stable error code. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Problem(String type, String title, int status, String detail, String code) implements ApiBody {
}
