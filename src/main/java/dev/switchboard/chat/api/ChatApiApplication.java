package dev.switchboard.chat.api;

import jakarta.annotation.security.DeclareRoles;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.ApplicationPath;
import jakarta.ws.rs.core.Application;
import org.eclipse.microprofile.auth.LoginConfig;

/**
 * The chat's REST API under /api, authenticated by MicroProfile JWT (bearer tokens; the same key and issuer as the
 * socket handshake). Must be a CDI bean, or MP-JWT's JsonWebToken cannot be injected (see STACK-NOTES).
 */
@ApplicationScoped
@ApplicationPath(ChatApiApplication.PATH)
@LoginConfig(authMethod = "MP-JWT")
@DeclareRoles({"user", "admin"})
public class ChatApiApplication extends Application {
    public static final String PATH = "/api";
}
