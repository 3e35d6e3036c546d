package dev.switchboard.chat.domain;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import jakarta.persistence.UniqueConstraint;

import java.util.Objects;

/** A user's membership of a room; one per (room, user). */
@Entity
@Table(name = "chat_membership",
        uniqueConstraints = @UniqueConstraint(name = "uk_membership_room_user", columnNames = {"room_name", "user_id"}))
public class Membership {
    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    @Column(name = "id")
    private Long id;

    @Column(name = "room_name", length = 64, nullable = false, updatable = false)
    private String roomName;

    @Column(name = "user_id", nullable = false, updatable = false)
    private String userId;

    @Column(name = "joined_at", nullable = false, updatable = false)
    private long joinedAt;

    protected Membership() {
        // for JPA
    }

    public Membership(String roomName, String userId, long joinedAt) {
        this.roomName = Objects.requireNonNull(roomName, "roomName");
        this.userId = Objects.requireNonNull(userId, "userId");
        this.joinedAt = joinedAt;
    }

    public Long id() {
        return id;
    }

    public String roomName() {
        return roomName;
    }

    public String userId() {
        return userId;
    }

    public long joinedAt() {
        return joinedAt;
    }
}
