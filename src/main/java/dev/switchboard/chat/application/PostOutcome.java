package dev.switchboard.chat.application;

/** The result of posting: the stored record, and whether it was a retry of one already stored (dedup hit). */
public record PostOutcome(StoredMessage message, boolean duplicate) {
}
