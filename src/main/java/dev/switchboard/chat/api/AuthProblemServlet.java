package dev.switchboard.chat.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.chat.application.ChatErrorCode;
import dev.switchboard.chat.security.ChatSecurity;
import jakarta.inject.Inject;
import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * The error page (WEB-INF/web.xml) for the 401 and 403 that the container's MP-JWT mechanism sends before JAX-RS
 * runs (a bad, expired or foreign-issuer bearer token): problem details like every other API error, instead of the
 * container's HTML page; an expired but otherwise valid token is TOKEN_EXPIRED. Never echoes the token.
 */
@WebServlet(urlPatterns = "/_problem/auth")
public class AuthProblemServlet extends HttpServlet {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Inject
    ChatSecurity security;

    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
        Object status = request.getAttribute(RequestDispatcher.ERROR_STATUS_CODE);
        int code = status instanceof Integer i ? i : HttpServletResponse.SC_NOT_FOUND;
        ChatErrorCode chat = switch (code) {
            case HttpServletResponse.SC_UNAUTHORIZED -> ChatErrorCode.UNAUTHORIZED;
            case HttpServletResponse.SC_FORBIDDEN -> ChatErrorCode.FORBIDDEN;
            default -> null;
        };
        if (chat == null) {
            response.sendError(HttpServletResponse.SC_NOT_FOUND);
            return;
        }
        if (chat == ChatErrorCode.UNAUTHORIZED
                && ExpiredTokens.isExpired(security, request.getHeader("Authorization"))) {
            chat = ChatErrorCode.TOKEN_EXPIRED;
        }
        String detail = switch (chat) {
            case UNAUTHORIZED -> "a valid bearer token is required";
            case TOKEN_EXPIRED -> "the bearer token has expired; get a new one";
            default -> "the token does not allow this";
        };
        Problem problem = Problems.of(chat, detail);
        response.setStatus(code);
        if (code == HttpServletResponse.SC_UNAUTHORIZED) {
            response.setHeader("WWW-Authenticate", chat == ChatErrorCode.TOKEN_EXPIRED ? ExpiredTokens.CHALLENGE
                    : "Bearer");
        }
        response.setContentType(Problems.MEDIA_TYPE);
        response.setCharacterEncoding(StandardCharsets.UTF_8.name());
        response.getWriter().write(JSON.writeValueAsString(problem));
    }
}
