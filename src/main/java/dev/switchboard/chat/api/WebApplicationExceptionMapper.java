package dev.switchboard.chat.api;

import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;

/**
 * The container's own refusals (401/403 from role checks, unknown paths, 405, 406, 415, ...) as problem details.
 * Keeps the original headers (Allow, WWW-Authenticate); a response that already has a body is left as it is.
 */
@Provider
public class WebApplicationExceptionMapper implements ExceptionMapper<WebApplicationException> {
    @Override
    public Response toResponse(WebApplicationException e) {
        Response original = e.getResponse();
        if (original.hasEntity()) {
            return original;
        }
        int status = original.getStatus();
        Response problem = Problems.response(Problems.of(status, Problems.codeFor(status), null));
        Response.ResponseBuilder out = Response.fromResponse(problem);
        original.getHeaders().forEach((name, values) -> {
            if (!"Content-Type".equalsIgnoreCase(name)) {
                values.forEach(v -> out.header(name, v));
            }
        });
        return out.type(Problems.PROBLEM_JSON).build();
    }
}
