package dev.switchboard.socketio.parser;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Encodes packets as {@code <type>[<attachments>-][<nsp>,][<ackId>][<JSON>]} plus binary attachments.
 * Stateless and thread-safe.
 */
public final class SioEncoder {

    public SioEncoder() {
    }

    /**
     * EVENT/ACK whose data holds BinaryNodes go out as BINARY_EVENT/BINARY_ACK, each BinaryNode replaced
     * (in a copy) by a numbered placeholder and its bytes moved to the attachments.
     */
    public EncodedSioPacket encode(SioPacket packet) {
        Objects.requireNonNull(packet, "packet");
        SioPacketType wireType = packet.type();
        JsonNode data = packet.data();
        List<byte[]> attachments = List.of();
        if ((wireType == SioPacketType.EVENT || wireType == SioPacketType.ACK) && Binaries.containsBinary(data)) {
            List<byte[]> buffers = new ArrayList<>();
            data = Binaries.deconstruct(data, buffers);
            attachments = buffers;
            wireType = wireType == SioPacketType.EVENT ? SioPacketType.BINARY_EVENT : SioPacketType.BINARY_ACK;
        }

        StringBuilder text = new StringBuilder(64);
        text.append(wireType.code());
        if (wireType.isBinary()) {
            text.append(attachments.size()).append('-');
        }
        // the main namespace is implied by its absence
        if (!"/".equals(packet.namespace())) {
            text.append(packet.namespace()).append(',');
        }
        if (packet.hasAck()) {
            text.append(packet.ackId());
        }
        if (data != null) {
            SioJson.writeTo(text, data);
        }
        return new EncodedSioPacket(text.toString(), attachments);
    }
}
