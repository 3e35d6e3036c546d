package dev.switchboard.chat.infrastructure.realtime;

import dev.switchboard.chat.application.RealtimePublisher;
import dev.switchboard.chat.application.StoredMessage;
import dev.switchboard.socketio.Namespace;
import dev.switchboard.socketio.broadcast.BroadcastOperator;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.util.Set;

/** {@link RealtimePublisher} on the Socket.IO server's main namespace, through its adapter. */
@ApplicationScoped
public class SocketIoRealtimePublisher implements RealtimePublisher {
    public static final String NEW_MESSAGE = "new_message";
    public static final String MESSAGE_DELETED = "message_deleted";
    public static final String ALERT = "alert";

    @Inject
    ChatGateway gateway;

    @Override
    public void messagePosted(StoredMessage message, String exceptSocketId) {
        Namespace ns = gateway.namespace();
        if (ns == null) {
            return;
        }
        BroadcastOperator to = ns.to(message.room());
        if (exceptSocketId != null) {
            to = to.except(exceptSocketId);
        }
        to.emit(NEW_MESSAGE, ChatPayloads.Message.of(message));
    }

    @Override
    public void messageDeleted(StoredMessage message) {
        Namespace ns = gateway.namespace();
        if (ns != null) {
            ns.to(message.room()).emit(MESSAGE_DELETED, new ChatPayloads.Deleted(message.id(), message.room()));
        }
    }

    @Override
    public void alert(String message, String from, String room) {
        Namespace ns = gateway.namespace();
        if (ns == null) {
            return;
        }
        ChatPayloads.Alert alert = new ChatPayloads.Alert(message, from);
        if (room == null) {
            ns.emit(ALERT, alert);
        } else {
            ns.to(room).emit(ALERT, alert);
        }
    }

    @Override
    public Set<String> presence(String room) {
        return gateway.presence(room);
    }
}
