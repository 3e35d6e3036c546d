package dev.switchboard.chat.infrastructure.realtime;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.chat.application.ChatErrorCode;
import dev.switchboard.chat.application.ChatException;
import dev.switchboard.chat.application.ChatService;
import dev.switchboard.chat.application.PostOutcome;
import dev.switchboard.engineio.Clock;
import dev.switchboard.socketio.Ack;
import dev.switchboard.socketio.Socket;

import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * One socket's chat events: {@code chat_message}, {@code join}, {@code leave}, {@code typing}, {@code history}.
 * A refusal is emitted as {@code error} {code, message} and, when the client asked for an ack, acked as
 * {"error": {code, message}}. Each runs as the socket's {@link SocketWork}, off the thread that read the event: the
 * ChatService calls block on the database.
 */
final class ChatEventHandlers {
    private static final Logger LOG = Logger.getLogger(ChatEventHandlers.class.getName());
    private static final long BUSY_RETRY_MILLIS = 1000;

    private final ChatGateway gateway;
    private final ChatService chat;
    private final SocketIoRealtimePublisher publisher;
    private final RealtimeSettings settings;
    private final Clock clock;
    private final Socket socket;
    private final ChatSocketSession session;
    private final SocketWork work;

    ChatEventHandlers(ChatGateway gateway, ChatService chat, SocketIoRealtimePublisher publisher,
                      RealtimeSettings settings, Clock clock, Socket socket, ChatSocketSession session,
                      SocketWork work) {
        this.gateway = gateway;
        this.chat = chat;
        this.publisher = publisher;
        this.settings = settings;
        this.clock = clock;
        this.socket = socket;
        this.session = session;
        this.work = work;
    }

    void register() {
        socket.on("chat_message", guarded(this::chatMessage));
        socket.on("join", guarded(this::join));
        socket.on("leave", guarded(this::leave));
        socket.on("typing", guarded(this::typing));
        socket.on("history", guarded(this::history));
    }

    private void chatMessage(List<JsonNode> args, Ack ack) {
        long retryAfter = settings.rateScope() == RealtimeSettings.RateScope.USER
                ? gateway.userLimits().tryAcquire("chat_message:" + session.userId(), settings.rateMessages(),
                        settings.rateWindowMillis())
                : session.limiter().tryAcquire(clock.nowMillis());
        if (retryAfter > 0) {
            gateway.metrics().rateLimited();
            gateway.metrics().error(ChatErrorCode.RATE_LIMITED.name());
            fail(socket, ack, new ChatPayloads.Error(ChatErrorCode.RATE_LIMITED,
                    "too many messages; retry after " + retryAfter + " ms", retryAfter));
            return;
        }
        ChatRequests.Post post = ChatRequests.post(args, settings.maxMessageLength());
        requireInRoom(post.room());
        PostOutcome outcome = chat.post(session.userId(), post.room(), post.text(), post.messageId());
        if (!outcome.duplicate()) {
            publisher.messagePosted(outcome.message(), socket.id());
        }
        if (ack != null) {
            ack.send(ChatPayloads.Message.of(outcome.message()));
        }
    }

    private void join(List<JsonNode> args, Ack ack) {
        String room = ChatRequests.roomOnly(args);
        chat.join(session.userId(), room);
        gateway.enterRoom(socket, session, room);
        if (ack != null) {
            ack.send(new ChatPayloads.RoomOk(true, room));
        }
    }

    private void leave(List<JsonNode> args, Ack ack) {
        String room = ChatRequests.roomOnly(args);
        chat.leave(session.userId(), room);
        gateway.exitRoom(socket, session, room);
        if (ack != null) {
            ack.send(new ChatPayloads.RoomOk(true, room));
        }
    }

    private void typing(List<JsonNode> args, Ack ack) {
        String room = ChatRequests.roomOnly(args);
        requireInRoom(room);
        socket.to(room).volatile_().emit("typing", new ChatPayloads.RoomUser(session.userId(), room));
    }

    private void history(List<JsonNode> args, Ack ack) {
        ChatRequests.HistoryQuery query = ChatRequests.history(args);
        if (!session.inRoom(query.room()) && !chat.isMember(session.userId(), query.room())) {
            throw new ChatException(ChatErrorCode.NOT_A_MEMBER, "not a member of room " + query.room());
        }
        List<ChatPayloads.Message> page = chat.history(query.room(), query.before(), query.limit()).stream()
                .map(ChatPayloads.Message::of).toList();
        if (ack != null) {
            ack.send(new ChatPayloads.History(page));
        }
    }

    private void requireInRoom(String room) {
        if (!session.inRoom(room)) {
            throw new ChatException(ChatErrorCode.NOT_A_MEMBER, "not in room " + room);
        }
    }

    private dev.switchboard.socketio.EventHandler guarded(dev.switchboard.socketio.EventHandler handler) {
        dev.switchboard.socketio.EventHandler logged = logged(handler);
        return (args, ack) -> {
            try {
                work.submit(() -> logged.handle(args, ack));
            } catch (java.util.concurrent.RejectedExecutionException e) {
                gateway.metrics().rateLimited();
                gateway.metrics().error(ChatErrorCode.RATE_LIMITED.name());
                fail(socket, ack, new ChatPayloads.Error(ChatErrorCode.RATE_LIMITED,
                        "too many requests waiting; retry after " + BUSY_RETRY_MILLIS + " ms", BUSY_RETRY_MILLIS));
            }
        };
    }

    private dev.switchboard.socketio.EventHandler logged(dev.switchboard.socketio.EventHandler handler) {
        return (args, ack) -> dev.switchboard.container.LogContext.with(() -> {
            try {
                handler.handle(args, ack);
            } catch (RuntimeException e) {
                ChatPayloads.Error error = errorOf(e);
                gateway.metrics().error(error.code().name());
                fail(socket, ack, error);
            }
        }, "socket_id", socket.id(), "user_id", session.userId());
    }

    /** Emits {@code error} to the socket and answers the ack, if any, with {"error": ...}. */
    static void fail(Socket socket, Ack ack, ChatPayloads.Error error) {
        socket.emit(ChatGateway.ERROR, error);
        if (ack != null) {
            ack.send(new ChatPayloads.AckError(error));
        }
    }

    /** The ChatException in the cause chain (containers wrap them), else STORAGE_UNAVAILABLE. */
    static ChatPayloads.Error errorOf(RuntimeException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof ChatException c) {
                return new ChatPayloads.Error(c.code(), c.getMessage());
            }
        }
        LOG.log(Level.WARNING, "chat operation failed", e);
        return new ChatPayloads.Error(ChatErrorCode.STORAGE_UNAVAILABLE, "the chat is unavailable, try again later");
    }
}
