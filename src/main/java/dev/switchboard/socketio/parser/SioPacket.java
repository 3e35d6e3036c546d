package dev.switchboard.socketio.parser;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import java.util.Objects;

/**
 * One Socket.IO packet as the layer above sees it.
 *
 * <p>ackId &lt; 0 means none (normalised to {@link #NO_ACK}). data may be null (CONNECT without payload,
 * DISCONNECT). Binary parts of data are BinaryNode; type is never BINARY_*: the decoder returns EVENT/ACK
 * with BinaryNodes restored, the encoder turns EVENT/ACK with BinaryNodes into BINARY_*.
 *
 * <p>The data tree is not copied (broadcasts share it); do not mutate it after building the packet.
 */
public record SioPacket(SioPacketType type, String namespace, JsonNode data, long ackId) {

    public static final long NO_ACK = -1;

    public SioPacket {
        Objects.requireNonNull(type, "type");
        if (type.isBinary()) {
            // the encoder picks BINARY_* itself when the data holds BinaryNodes
            throw new IllegalArgumentException(type + " is a wire-only type; use EVENT or ACK");
        }
        String nspProblem = Wire.namespaceProblem(namespace);
        if (nspProblem != null) {
            throw new IllegalArgumentException(nspProblem);
        }
        if (ackId < 0) {
            ackId = NO_ACK; // one representation of "none" keeps equals() meaningful
        }
        Wire.Violation violation = Wire.dataProblem(type, data, ackId);
        if (violation != null) {
            throw new IllegalArgumentException(type + ": " + violation.detail());
        }
        if (type != SioPacketType.EVENT && type != SioPacketType.ACK && Binaries.containsBinary(data)) {
            // the wire only carries attachments for events and acks
            throw new IllegalArgumentException(type + ": binary data is only allowed in EVENT and ACK");
        }
    }

    public static SioPacket connect(String nsp, JsonNode data) {
        return new SioPacket(SioPacketType.CONNECT, nsp, data, NO_ACK);
    }

    public static SioPacket disconnect(String nsp) {
        return new SioPacket(SioPacketType.DISCONNECT, nsp, null, NO_ACK);
    }

    public static SioPacket event(String nsp, ArrayNode data, long ackId) {
        return new SioPacket(SioPacketType.EVENT, nsp, data, ackId);
    }

    public static SioPacket ack(String nsp, ArrayNode data, long ackId) {
        return new SioPacket(SioPacketType.ACK, nsp, data, ackId);
    }

    public static SioPacket connectError(String nsp, JsonNode data) {
        return new SioPacket(SioPacketType.CONNECT_ERROR, nsp, data, NO_ACK);
    }

    public boolean hasAck() {
        return ackId >= 0;
    }
}
