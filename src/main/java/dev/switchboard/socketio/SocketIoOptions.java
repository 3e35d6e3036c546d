package dev.switchboard.socketio;

import dev.switchboard.socketio.parser.SioDecoderLimits;
import java.util.Objects;

/**
 * Settings of the Socket.IO layer.
 *
 * @param connectTimeoutMillis    close an Engine.IO connection that joined no namespace within this time
 * @param decoderLimits           bounds on binary attachments per packet
 * @param recovery                connection state recovery, or null when off
 * @param defaultAckTimeoutMillis how long an emitWithAck without timeout() waits before failing
 */
public record SocketIoOptions(long connectTimeoutMillis, SioDecoderLimits decoderLimits, RecoveryOptions recovery,
                              long defaultAckTimeoutMillis) {

    public SocketIoOptions {
        if (connectTimeoutMillis <= 0) {
            throw new IllegalArgumentException("connectTimeoutMillis must be > 0: " + connectTimeoutMillis);
        }
        Objects.requireNonNull(decoderLimits, "decoderLimits");
        if (defaultAckTimeoutMillis <= 0) {
            throw new IllegalArgumentException("defaultAckTimeoutMillis must be > 0: " + defaultAckTimeoutMillis);
        }
    }

    /** 45 s connect timeout (the reference's), default decoder limits, no recovery, 30 s ack timeout. */
    public static SocketIoOptions defaults() {
        return new SocketIoOptions(45_000, SioDecoderLimits.defaults(), null, 30_000);
    }

    public boolean recoveryEnabled() {
        return recovery != null;
    }

    public SocketIoOptions withConnectTimeoutMillis(long value) {
        return new SocketIoOptions(value, decoderLimits, recovery, defaultAckTimeoutMillis);
    }

    public SocketIoOptions withDecoderLimits(SioDecoderLimits value) {
        return new SocketIoOptions(connectTimeoutMillis, value, recovery, defaultAckTimeoutMillis);
    }

    public SocketIoOptions withRecovery(RecoveryOptions value) {
        return new SocketIoOptions(connectTimeoutMillis, decoderLimits, value, defaultAckTimeoutMillis);
    }

    public SocketIoOptions withDefaultAckTimeoutMillis(long value) {
        return new SocketIoOptions(connectTimeoutMillis, decoderLimits, recovery, value);
    }
}
