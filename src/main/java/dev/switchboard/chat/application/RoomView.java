package dev.switchboard.chat.application;

/** A room as the API shows it. */
public record RoomView(String name, String createdBy, long createdAt, long memberCount) {
}
