package dev.switchboard.adapter.cluster;

/** A cluster message that cannot be decoded; the receiver logs it and drops the message. */
public final class ClusterCodecException extends RuntimeException {
    public ClusterCodecException(String message) {
        super(message);
    }

    public ClusterCodecException(String message, Throwable cause) {
        super(message, cause);
    }
}
