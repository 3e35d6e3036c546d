package dev.switchboard.chat.application;

/**
 * The fast, cluster-wide first line of message deduplication: a claim on (user, client message id) that only the
 * first post wins, for a while. The database's unique key on the same pair stays the last line: a claim that cannot
 * be answered (store down) lets the post go on, and the unique key still stores it once.
 */
public interface MessageDedup {
    /** What a claim found. */
    enum Claim {
        /** This post is the first with the id: store it. */
        FIRST,
        /** Another post (maybe on another node) claimed the id: answer with its stored record. */
        SEEN,
        /** The claim store could not answer: rely on the database's unique key. */
        UNKNOWN
    }

    Claim claim(String userId, String clientMessageId);

    /** Gives a claim back after the post failed to store, so the client's retry is not held up. Never throws. */
    void release(String userId, String clientMessageId);
}
