package dev.switchboard.chat.api;

import dev.switchboard.chat.api.Dtos.MessageJson;
import dev.switchboard.chat.api.Dtos.MessagePageJson;
import dev.switchboard.chat.api.Dtos.PostMessageRequest;
import dev.switchboard.chat.application.ChatErrorCode;
import dev.switchboard.chat.application.ChatException;
import dev.switchboard.chat.application.ChatRules;
import dev.switchboard.chat.application.ChatService;
import dev.switchboard.chat.application.PostOutcome;
import dev.switchboard.chat.application.StoredMessage;
import jakarta.annotation.security.RolesAllowed;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.util.List;

/**
 * A room's messages: history pages (newest first, cursor {@code before}), posting as the token's user, and deletion
 * by admins. Posting through the API joins the caller to the room implicitly (integrations have no socket to join
 * with); the room itself must exist.
 */
@Path("rooms/{room}/messages")
@RequestScoped
@RolesAllowed({"user", "admin"})
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "messages", description = "Messages of a room")
@SecurityRequirement(name = "jwt")
@APIResponse(responseCode = "401", description = "No valid bearer token",
        content = @Content(mediaType = Problems.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
@APIResponse(responseCode = "404", description = "No such room (or message)",
        content = @Content(mediaType = Problems.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
@APIResponse(responseCode = "503", description = "Storage unavailable; nothing was stored",
        content = @Content(mediaType = Problems.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
public class MessagesResource {
    static final int DEFAULT_LIMIT = 50;

    @Inject
    ChatService chat;
    @Inject
    Caller caller;
    @Inject
    RealtimeNotifier realtime;
    @Context
    UriInfo uri;

    @GET
    @Operation(summary = "A page of history, newest first",
            description = "Follow next_before (null on the last page) as ?before= to read older messages.")
    @APIResponse(responseCode = "200", description = "The page",
            content = @Content(schema = @Schema(implementation = MessagePageJson.class)))
    @APIResponse(responseCode = "400", description = "before or limit is not a number",
            content = @Content(mediaType = Problems.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public MessagePageJson history(
            @PathParam("room") String room,
            @Parameter(description = "only messages with a smaller id") @QueryParam("before") String before,
            @Parameter(description = "page size, 1-100 (default 50)") @QueryParam("limit") String limit) {
        Long beforeId = before == null || before.isEmpty() ? null : parseLong("before", before);
        int size = limit == null || limit.isEmpty() ? DEFAULT_LIMIT
                : ChatRules.clampLimit((int) Math.max(Integer.MIN_VALUE,
                Math.min(Integer.MAX_VALUE, parseLong("limit", limit))));
        List<StoredMessage> page = chat.history(room, beforeId, size);
        Long next = page.size() == size ? page.getLast().id() : null;
        return new MessagePageJson(room, page.stream().map(MessageJson::of).toList(), next);
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Post a message as the token's user",
            description = "Joins the room implicitly. A message_id already used by this user returns the original.")
    @APIResponse(responseCode = "201", description = "Stored",
            content = @Content(schema = @Schema(implementation = MessageJson.class)))
    @APIResponse(responseCode = "200", description = "A retry: the message stored earlier with this message_id",
            content = @Content(schema = @Schema(implementation = MessageJson.class)))
    @APIResponse(responseCode = "400", description = "Malformed body, blank text or bad message_id",
            content = @Content(mediaType = Problems.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "413", description = "Text or body too long",
            content = @Content(mediaType = Problems.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "429", description = "Over the per-user write limit (Retry-After, retry_after_ms); "
            + "nothing stored",
            content = @Content(mediaType = Problems.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @WriteLimited
    public Response post(@PathParam("room") String room, PostMessageRequest request) {
        if (request == null) {
            throw new ChatException(ChatErrorCode.INVALID_PAYLOAD, "text is required");
        }
        String user = caller.id();
        if (chat.room(room).isEmpty()) {
            throw RoomsResource.notFound();
        }
        if (!chat.isMember(user, room)) {
            chat.join(user, room);
        }
        PostOutcome outcome = chat.post(user, room, request.text(), request.messageId());
        StoredMessage stored = outcome.message();
        MessageJson body = MessageJson.of(stored);
        if (outcome.duplicate()) {
            return Response.ok(body).build();
        }
        realtime.messagePosted(stored);
        return Response.created(uri.getAbsolutePathBuilder().path(Long.toString(stored.id())).build())
                .entity(body).build();
    }

    @DELETE
    @Path("{id}")
    @RolesAllowed("admin")
    @Operation(summary = "Delete a message (admins)")
    @APIResponse(responseCode = "204", description = "Deleted; clients in the room are told")
    @APIResponse(responseCode = "403", description = "Not an admin",
            content = @Content(mediaType = Problems.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Response delete(@PathParam("room") String room, @PathParam("id") String id) {
        long messageId;
        try {
            messageId = Long.parseLong(id);
        } catch (NumberFormatException e) {
            throw new ChatException(ChatErrorCode.MESSAGE_NOT_FOUND, "no such message");
        }
        if (chat.room(room).isEmpty()) {
            throw RoomsResource.notFound();
        }
        StoredMessage deleted = chat.deleteMessage(room, messageId)
                .orElseThrow(() -> new ChatException(ChatErrorCode.MESSAGE_NOT_FOUND, "no such message"));
        realtime.messageDeleted(deleted);
        return Response.noContent().build();
    }

    private static long parseLong(String name, String value) {
        try {
            return Long.parseLong(value);
        } catch (NumberFormatException e) {
            throw new ChatException(ChatErrorCode.INVALID_PAYLOAD, name + " must be an integer");
        }
    }
}
