package dev.switchboard.engineio;

import dev.switchboard.engineio.parser.EngineParser;
import dev.switchboard.engineio.parser.EnginePacket;
import dev.switchboard.engineio.parser.EnginePacketType;

import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The UTF-8 bodies of polling answers. A broadcast answers its recipients' GETs with the same packet text (the same
 * instance: the message is encoded once), the held ones at once and the others as they arrive, in between the next
 * messages. The bodies of the last few one-packet answers are therefore kept and handed out again while the text is
 * that instance, so a message to 300 polling clients is encoded once rather than 300 times (the encoding was a third
 * of what a polling fan-out allocated). Bodies are never written to once made.
 */
final class PayloadBodies {
    /** Enough for GETs that come back a few messages late; each lookup compares at most this many references. */
    static final int KEPT = 4;
    /** Larger bodies are not kept, so what stays reachable here is small. */
    static final int MAX_KEPT_BYTES = 64 * 1024;

    private record Kept(EnginePacketType type, String text, byte[] body) {
    }

    // guarded by this (uncontended in practice: the polling reads of a node run on its selector threads)
    private final Kept[] kept = new Kept[KEPT];
    private int next;

    byte[] of(List<EnginePacket> packets) {
        boolean keepable = packets.size() == 1 && !packets.get(0).isBinary();
        byte[] body = keepable ? find(packets.get(0)) : null;
        if (body == null) {
            body = EngineParser.encodePayload(packets).getBytes(StandardCharsets.UTF_8);
            if (keepable && body.length <= MAX_KEPT_BYTES) {
                keep(new Kept(packets.get(0).type(), packets.get(0).text(), body));
            }
        }
        return body;
    }

    private synchronized byte[] find(EnginePacket packet) {
        for (Kept k : kept) {
            if (k != null && k.text == packet.text() && k.type == packet.type()) {
                return k.body;
            }
        }
        return null;
    }

    private synchronized void keep(Kept k) {
        kept[next] = k;
        next = (next + 1) % KEPT;
    }
}
