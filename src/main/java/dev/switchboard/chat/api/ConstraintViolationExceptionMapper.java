package dev.switchboard.chat.api;

import dev.switchboard.chat.application.ChatErrorCode;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.ConstraintViolationException;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;

import java.util.stream.Collectors;

/** Bean Validation failures on resource parameters: 400 INVALID_PAYLOAD naming the properties (never the values). */
@Provider
public class ConstraintViolationExceptionMapper implements ExceptionMapper<ConstraintViolationException> {
    @Override
    public Response toResponse(ConstraintViolationException e) {
        String detail = e.getConstraintViolations().stream()
                .map(ConstraintViolation::getPropertyPath)
                .map(Object::toString)
                .sorted()
                .collect(Collectors.joining(", ", "invalid: ", ""));
        return Problems.response(ChatErrorCode.INVALID_PAYLOAD, detail);
    }
}
