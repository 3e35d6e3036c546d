package dev.switchboard.chat.api;

import dev.switchboard.chat.application.ChatErrorCode;
import dev.switchboard.chat.application.ChatException;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.jwt.JsonWebToken;

/** Who is calling: the verified token's name (upn / preferred_username / sub, as MicroProfile JWT defines it). */
@RequestScoped
public class Caller {
    @Inject
    JsonWebToken token;

    public String id() {
        String name = token == null ? null : token.getName();
        if (name == null || name.isBlank()) {
            name = token == null ? null : token.getSubject();
        }
        if (name == null || name.isBlank()) {
            throw new ChatException(ChatErrorCode.UNAUTHORIZED, "the token names no user");
        }
        return name;
    }
}
