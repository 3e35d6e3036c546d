package dev.switchboard.chat.api;

import dev.switchboard.chat.security.ChatSecurity;
import jakarta.inject.Inject;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;

/**
 * The container's own refusals (401/403 from role checks, unknown paths, 405, 406, 415, ...) as problem details.
 * Keeps the original headers (Allow, WWW-Authenticate); a response that already has a body is left as it is.
 */
@Provider
public class WebApplicationExceptionMapper implements ExceptionMapper<WebApplicationException> {
    @Inject
    ChatSecurity security;

    @Context
    HttpHeaders headers;

    @Override
    public Response toResponse(WebApplicationException e) {
        Response original = e.getResponse();
        if (original.hasEntity()) {
            return original;
        }
        int status = original.getStatus();
        Problem body = status == 401 ? ExpiredTokens.unauthorized(security,
                headers == null ? null : headers.getHeaderString(HttpHeaders.AUTHORIZATION))
                : Problems.of(status, Problems.codeFor(status), null);
        Response problem = Problems.response(body);
        Response.ResponseBuilder out = Response.fromResponse(problem);
        original.getHeaders().forEach((name, values) -> {
            if (!"Content-Type".equalsIgnoreCase(name) && !"WWW-Authenticate".equalsIgnoreCase(name)) {
                values.forEach(v -> out.header(name, v));
            }
        });
        if (status == 401) {
            out.header("WWW-Authenticate", null); // replaces the plain challenge Problems.response set
            out.header("WWW-Authenticate", body.code().equals("TOKEN_EXPIRED") ? ExpiredTokens.CHALLENGE : "Bearer");
        }
        return out.type(Problems.PROBLEM_JSON).build();
    }
}
