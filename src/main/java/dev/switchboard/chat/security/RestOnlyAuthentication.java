package dev.switchboard.chat.security;

import dev.switchboard.chat.api.ChatApiApplication;
import jakarta.annotation.Priority;
import jakarta.decorator.Decorator;
import jakarta.decorator.Delegate;
import jakarta.enterprise.inject.Any;
import jakarta.inject.Inject;
import jakarta.interceptor.Interceptor;
import jakarta.security.enterprise.AuthenticationException;
import jakarta.security.enterprise.AuthenticationStatus;
import jakarta.security.enterprise.authentication.mechanism.http.HttpAuthenticationMechanismHandler;
import jakarta.security.enterprise.authentication.mechanism.http.HttpMessageContext;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * Runs the MicroProfile JWT authentication mechanism for the REST API only.
 *
 * <p>Jakarta Security calls the application's mechanism on every request of the WAR, and nothing outside
 * {@value ChatApiApplication#PATH} has a use for a caller principal: the Engine.IO transport verifies the handshake's
 * token itself (a long-polling client makes two or more requests a second, each of which Payara's JWT mechanism
 * examined for a bearer header: about a tenth of a polling request's CPU in a JFR profile), and health, metrics and
 * the web client's files are open. Skipping can only leave a request anonymous, never grant anything: a request that
 * reaches a REST resource without authentication is refused by the resource's {@code @RolesAllowed}.
 */
@Decorator
@Priority(Interceptor.Priority.APPLICATION)
public abstract class RestOnlyAuthentication implements HttpAuthenticationMechanismHandler {
    @Inject
    @Delegate
    @Any
    HttpAuthenticationMechanismHandler delegate;

    @Override
    public AuthenticationStatus validateRequest(HttpServletRequest request, HttpServletResponse response,
                                                HttpMessageContext context)
            throws AuthenticationException {
        return isRestRequest(request) ? delegate.validateRequest(request, response, context) : context.doNothing();
    }

    @Override
    public AuthenticationStatus secureResponse(HttpServletRequest request, HttpServletResponse response,
                                               HttpMessageContext context)
            throws AuthenticationException {
        return isRestRequest(request) ? delegate.secureResponse(request, response, context)
                : AuthenticationStatus.SUCCESS;
    }

    /** The servlet path is the container's decoded, normalised mapping: "/api" for the JAX-RS servlet. */
    static boolean isRestRequest(HttpServletRequest request) {
        String servletPath = request.getServletPath();
        return servletPath != null && (servletPath.equals(ChatApiApplication.PATH)
                || servletPath.startsWith(ChatApiApplication.PATH + "/"));
    }
}
