package dev.switchboard.chat.application;

import java.util.Set;

/** What the application tells connected clients; implemented by the realtime gateway on the Socket.IO server. */
public interface RealtimePublisher {
    /** Broadcasts {@code new_message} to the room, except the sending socket (null: everyone in the room). */
    void messagePosted(StoredMessage message, String exceptSocketId);

    /** Broadcasts {@code message_deleted} {id, room} to the room. */
    void messageDeleted(StoredMessage message);

    /** Emits {@code alert} {message, from} to one room, or to everyone when room is null. */
    void alert(String message, String from, String room);

    /** User ids with at least one connected socket in the room, cluster-wide where the adapter allows. */
    Set<String> presence(String room);
}
