package dev.switchboard.chat.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.chat.security.ChatSecurity;
import dev.switchboard.chat.security.DevTokenIssuer;
import jakarta.annotation.security.PermitAll;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import java.util.Optional;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * {@code POST /api/dev/token} {"user":"alice","groups":["admin"],"ttl_seconds":60} → {"token":"..."}: tokens of the
 * development issuer. 404 when that issuer is off (production profile, or a real issuer configured); 400 with
 * problem JSON for a bad body.
 */
@Path("dev/token")
@RequestScoped
@PermitAll
public class DevTokenResource {
    private static final Logger LOG = Logger.getLogger(DevTokenResource.class.getName());
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String PROBLEM = "application/problem+json";

    @Inject
    ChatSecurity security;

    @POST
    @Consumes(MediaType.WILDCARD)
    @Produces({MediaType.APPLICATION_JSON, PROBLEM})
    public Response issue(String body) {
        Optional<DevTokenIssuer> issuer = security.devIssuer();
        if (issuer.isEmpty()) {
            return problem(Response.Status.NOT_FOUND, "NOT_FOUND", "the development token issuer is off");
        }
        DevTokenRequest request;
        try {
            request = DevTokenRequest.parse(body);
        } catch (IllegalArgumentException e) {
            return problem(Response.Status.BAD_REQUEST, "INVALID_PAYLOAD", e.getMessage());
        }
        String token = issuer.get().issue(request.user(), request.groups(), request.ttlSeconds());
        LOG.log(Level.FINE, "issued a development token for {0}", request.user());
        ObjectNode reply = JSON.createObjectNode();
        reply.put("token", token);
        return Response.ok(reply.toString(), MediaType.APPLICATION_JSON).build();
    }

    private static Response problem(Response.Status status, String code, String detail) {
        ObjectNode p = JSON.createObjectNode();
        p.put("type", "about:blank");
        p.put("title", status.getReasonPhrase());
        p.put("status", status.getStatusCode());
        p.put("detail", detail);
        p.put("code", code);
        return Response.status(status).type(PROBLEM).entity(p.toString()).build();
    }
}
