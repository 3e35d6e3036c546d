package dev.switchboard.chat.domain;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.util.Objects;

/** A chat room, identified by its name (1-64 of [A-Za-z0-9_-], checked by the application before it gets here). */
@Entity
@Table(name = "chat_room")
public class Room {
    @Id
    @Column(name = "name", length = 64, nullable = false, updatable = false)
    private String name;

    @Column(name = "created_by", nullable = false, updatable = false)
    private String createdBy;

    @Column(name = "created_at", nullable = false, updatable = false)
    private long createdAt;

    protected Room() {
        // for JPA
    }

    public Room(String name, String createdBy, long createdAt) {
        this.name = Objects.requireNonNull(name, "name");
        this.createdBy = Objects.requireNonNull(createdBy, "createdBy");
        this.createdAt = createdAt;
    }

    public String name() {
        return name;
    }

    public String createdBy() {
        return createdBy;
    }

    public long createdAt() {
        return createdAt;
    }
}
