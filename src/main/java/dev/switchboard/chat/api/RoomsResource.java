package dev.switchboard.chat.api;

import dev.switchboard.chat.api.Dtos.CreateRoomRequest;
import dev.switchboard.chat.api.Dtos.MembersJson;
import dev.switchboard.chat.api.Dtos.PresenceJson;
import dev.switchboard.chat.api.Dtos.RoomJson;
import dev.switchboard.chat.api.Dtos.RoomListJson;
import dev.switchboard.chat.application.ChatErrorCode;
import dev.switchboard.chat.application.ChatException;
import dev.switchboard.chat.application.ChatService;
import dev.switchboard.chat.application.RoomView;
import jakarta.annotation.security.RolesAllowed;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import jakarta.ws.rs.core.Context;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.enums.SecuritySchemeType;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.security.SecurityScheme;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** Rooms: list, create (the creator joins), look up, members, and who is connected right now. */
@Path("rooms")
@RequestScoped
@RolesAllowed({"user", "admin"})
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "rooms", description = "Chat rooms")
@SecurityRequirement(name = "jwt")
@SecurityScheme(securitySchemeName = "jwt", type = SecuritySchemeType.HTTP, scheme = "bearer", bearerFormat = "JWT",
        description = "A MicroProfile JWT; group 'user' or 'admin'")
@APIResponse(responseCode = "401", description = "No valid bearer token",
        content = @Content(mediaType = Problems.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
public class RoomsResource {
    @Inject
    ChatService chat;
    @Inject
    Caller caller;
    @Inject
    RealtimeNotifier realtime;
    @Context
    UriInfo uri;

    @GET
    @Operation(summary = "All rooms, by name")
    @APIResponse(responseCode = "200", description = "The rooms",
            content = @Content(schema = @Schema(implementation = RoomListJson.class)))
    public RoomListJson list() {
        return new RoomListJson(chat.rooms().stream().map(RoomJson::of).toList());
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Create a room; the caller becomes its first member")
    @APIResponse(responseCode = "201", description = "Created",
            content = @Content(schema = @Schema(implementation = RoomJson.class)))
    @APIResponse(responseCode = "400", description = "Malformed body or invalid name (1-64 of A-Z a-z 0-9 _ -)",
            content = @Content(mediaType = Problems.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "409", description = "A room with this name exists",
            content = @Content(mediaType = Problems.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Response create(CreateRoomRequest request) {
        if (request == null || request.name() == null) {
            throw new ChatException(ChatErrorCode.INVALID_PAYLOAD, "name is required");
        }
        String name = request.name();
        if (chat.room(name).isPresent()) {
            throw new ChatException(ChatErrorCode.CONFLICT, "room exists");
        }
        chat.join(caller.id(), name);
        RoomView room = chat.room(name).orElseThrow(() -> notFound());
        return Response.created(uri.getAbsolutePathBuilder().path(name).build()).entity(RoomJson.of(room)).build();
    }

    @GET
    @Path("{room}")
    @Operation(summary = "One room")
    @APIResponse(responseCode = "200", description = "The room",
            content = @Content(schema = @Schema(implementation = RoomJson.class)))
    @APIResponse(responseCode = "404", description = "No such room",
            content = @Content(mediaType = Problems.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public RoomJson get(@PathParam("room") String room) {
        return RoomJson.of(existing(room));
    }

    @GET
    @Path("{room}/members")
    @Operation(summary = "User ids of the room's members, sorted")
    @APIResponse(responseCode = "200", description = "The members",
            content = @Content(schema = @Schema(implementation = MembersJson.class)))
    @APIResponse(responseCode = "404", description = "No such room",
            content = @Content(mediaType = Problems.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public MembersJson members(@PathParam("room") String room) {
        existing(room);
        return new MembersJson(room, chat.members(room));
    }

    @GET
    @Path("{room}/presence")
    @Operation(summary = "User ids with a connected socket in the room (cluster-wide where the adapter allows)")
    @APIResponse(responseCode = "200", description = "Who is online",
            content = @Content(schema = @Schema(implementation = PresenceJson.class)))
    @APIResponse(responseCode = "404", description = "No such room",
            content = @Content(mediaType = Problems.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public PresenceJson presence(@PathParam("room") String room) {
        existing(room);
        return new PresenceJson(room, realtime.presence(room));
    }

    private RoomView existing(String room) {
        return chat.room(room).orElseThrow(RoomsResource::notFound);
    }

    static ChatException notFound() {
        return new ChatException(ChatErrorCode.ROOM_NOT_FOUND, "no such room");
    }
}
