package dev.switchboard.chat.application;

/**
 * A message as stored and as clients see it ({@code new_message}, acks, history, REST).
 *
 * @param id        strictly increasing per room (history cursors and recovery rely on it)
 * @param timestamp epoch milliseconds of the insert
 * @param messageId the client's UUID for deduplication, or null
 */
public record StoredMessage(long id, String room, String userId, String text, long timestamp, String messageId) {
}
