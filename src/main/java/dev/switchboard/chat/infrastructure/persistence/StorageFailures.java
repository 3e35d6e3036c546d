package dev.switchboard.chat.infrastructure.persistence;

import dev.switchboard.chat.application.ChatErrorCode;
import dev.switchboard.chat.application.ChatException;

import java.sql.SQLException;

/** Classifies what the persistence layer threw: our own refusals, unique violations, and everything else. */
final class StorageFailures {
    /** SQLSTATE of a unique (or primary key) violation on both H2 and PostgreSQL. */
    static final String UNIQUE_VIOLATION = "23505";
    private static final System.Logger LOG = System.getLogger(StorageFailures.class.getName());

    private StorageFailures() {
    }

    static boolean isUniqueViolation(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof SQLException sql && UNIQUE_VIOLATION.equals(sql.getSQLState())) {
                return true;
            }
            if (t instanceof org.hibernate.exception.ConstraintViolationException cve
                    && cve.getKind() == org.hibernate.exception.ConstraintViolationException.ConstraintKind.UNIQUE) {
                return true;
            }
        }
        return false;
    }

    /** The refusal to throw: ChatExceptions pass through (unwrapped), anything else is STORAGE_UNAVAILABLE. */
    static ChatException translate(RuntimeException failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof ChatException chat) {
                return chat;
            }
        }
        LOG.log(System.Logger.Level.WARNING, "chat storage failed: {0}", failure.toString());
        LOG.log(System.Logger.Level.DEBUG, "chat storage failure", failure);
        return new ChatException(ChatErrorCode.STORAGE_UNAVAILABLE, "storage unavailable, try again", failure);
    }
}
