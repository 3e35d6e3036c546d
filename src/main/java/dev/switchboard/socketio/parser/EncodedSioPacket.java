package dev.switchboard.socketio.parser;

import java.util.List;
import java.util.Objects;

/**
 * The wire form: the text packet, then zero or more binary attachments to send right after it, in order.
 * The byte arrays are shared with the packet's BinaryNodes, not copied: treat them as read-only.
 */
public record EncodedSioPacket(String text, List<byte[]> attachments) {

    public EncodedSioPacket {
        Objects.requireNonNull(text, "text");
        attachments = List.copyOf(attachments); // also rejects null elements
    }
}
