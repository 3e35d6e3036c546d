package dev.switchboard.chat.api;

import dev.switchboard.chat.api.Dtos.BroadcastRequest;
import dev.switchboard.chat.application.ChatErrorCode;
import dev.switchboard.chat.application.ChatException;
import dev.switchboard.chat.application.ChatRules;
import dev.switchboard.chat.application.ChatService;
import jakarta.annotation.security.RolesAllowed;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** Admin alerts to one room or to everyone connected; not stored. */
@Path("broadcast")
@RequestScoped
@RolesAllowed("admin")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "admin", description = "Administration")
@SecurityRequirement(name = "jwt")
public class BroadcastResource {
    @Inject
    ChatService chat;
    @Inject
    ChatRules rules;
    @Inject
    Caller caller;
    @Inject
    RealtimeNotifier realtime;

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Send an alert {message, from} to a room, or to everyone when room is absent")
    @APIResponse(responseCode = "202", description = "Handed to the realtime gateway")
    @APIResponse(responseCode = "400", description = "Blank message or bad room name",
            content = @Content(mediaType = Problems.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "403", description = "Not an admin",
            content = @Content(mediaType = Problems.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "404", description = "No such room",
            content = @Content(mediaType = Problems.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "429", description = "Over the per-user write limit (Retry-After, retry_after_ms)",
            content = @Content(mediaType = Problems.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @WriteLimited
    public Response broadcast(BroadcastRequest request) {
        if (request == null) {
            throw new ChatException(ChatErrorCode.INVALID_PAYLOAD, "message is required");
        }
        String message = rules.text(request.message());
        String room = request.room();
        if (room != null && chat.room(rules.roomName(room)).isEmpty()) {
            throw RoomsResource.notFound();
        }
        realtime.alert(message, caller.id(), room);
        return Response.accepted().build();
    }
}
