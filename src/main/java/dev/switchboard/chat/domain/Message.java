package dev.switchboard.chat.domain;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import jakarta.persistence.UniqueConstraint;

import java.util.Objects;

/**
 * A stored chat message. The id is an identity column, so ids strictly increase (per room too); the pair
 * (userId, clientMessageId) is unique: the dedup key of client retries.
 */
@Entity
@Table(name = "chat_message",
        uniqueConstraints = @UniqueConstraint(name = "uk_message_user_client_id",
                columnNames = {"user_id", "client_message_id"}))
public class Message {
    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    @Column(name = "id")
    private Long id;

    @Column(name = "room_name", length = 64, nullable = false, updatable = false)
    private String roomName;

    @Column(name = "user_id", nullable = false, updatable = false)
    private String userId;

    @Column(name = "body", length = 16000, nullable = false, updatable = false)
    private String text;

    @Column(name = "created_at", nullable = false, updatable = false)
    private long createdAt;

    @Column(name = "client_message_id", length = 64, updatable = false)
    private String clientMessageId;

    protected Message() {
        // for JPA
    }

    public Message(String roomName, String userId, String text, long createdAt, String clientMessageId) {
        this.roomName = Objects.requireNonNull(roomName, "roomName");
        this.userId = Objects.requireNonNull(userId, "userId");
        this.text = Objects.requireNonNull(text, "text");
        this.createdAt = createdAt;
        this.clientMessageId = clientMessageId;
    }

    /** Null until persisted and flushed. */
    public Long id() {
        return id;
    }

    public String roomName() {
        return roomName;
    }

    public String userId() {
        return userId;
    }

    public String text() {
        return text;
    }

    public long createdAt() {
        return createdAt;
    }

    public String clientMessageId() {
        return clientMessageId;
    }
}
