package dev.switchboard.chat.api;

import dev.switchboard.chat.application.ChatErrorCode;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;

/**
 * Malformed JSON from any reader (ours maps to INVALID_PAYLOAD itself; these catch Jackson, JSON-P and JSON-B
 * failures elsewhere in the application) is a 400 problem that does not echo the input.
 */
public final class JsonParseExceptionMappers {
    private static final String DETAIL = "request body is not valid JSON";

    private JsonParseExceptionMappers() {
    }

    @Provider
    public static class Jackson implements ExceptionMapper<com.fasterxml.jackson.core.JsonProcessingException> {
        @Override
        public Response toResponse(com.fasterxml.jackson.core.JsonProcessingException e) {
            return Problems.response(ChatErrorCode.INVALID_PAYLOAD, DETAIL);
        }
    }

    @Provider
    public static class JsonP implements ExceptionMapper<jakarta.json.JsonException> {
        @Override
        public Response toResponse(jakarta.json.JsonException e) {
            return Problems.response(ChatErrorCode.INVALID_PAYLOAD, DETAIL);
        }
    }

    @Provider
    public static class JsonB implements ExceptionMapper<jakarta.json.bind.JsonbException> {
        @Override
        public Response toResponse(jakarta.json.bind.JsonbException e) {
            return Problems.response(ChatErrorCode.INVALID_PAYLOAD, DETAIL);
        }
    }
}
