package dev.switchboard.chat.api;

import dev.switchboard.chat.application.ChatException;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;

/** A chat refusal becomes problem details carrying its code and its (safe) message. */
@Provider
public class ChatExceptionMapper implements ExceptionMapper<ChatException> {
    @Override
    public Response toResponse(ChatException e) {
        return Problems.response(e.code(), e.getMessage());
    }
}
