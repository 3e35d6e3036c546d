package dev.switchboard.engineio;

/**
 * The bound on one session's outbound data that the client has not taken yet: packets waiting for a poll, queued
 * for the WebSocket, or handed to the container and not yet written to the network. Over it, volatile packets are
 * dropped; any other packet closes the session as a slow consumer (reason {@link CloseReason#SLOW_CONSUMER}).
 *
 * @param maxPackets packets queued at most
 * @param maxBytes   bytes queued at most (characters of text packets, bytes of binary ones); a single packet larger
 *                   than this still goes out when nothing else is queued
 */
public record SendQueueLimits(int maxPackets, long maxBytes) {
    public static final SendQueueLimits DEFAULT = new SendQueueLimits(1000, 1_048_576);

    public SendQueueLimits {
        if (maxPackets <= 0 || maxBytes <= 0) {
            throw new IllegalArgumentException("send queue limits must be positive: " + maxPackets + ", " + maxBytes);
        }
    }

    /** Whether adding this much to what is queued goes over the bound. */
    boolean exceeded(int queuedPackets, long queuedBytes, int addPackets, long addBytes) {
        if (queuedPackets + addPackets > maxPackets) {
            return true;
        }
        return queuedPackets > 0 && queuedBytes + addBytes > maxBytes;
    }
}
