package dev.switchboard.socketio;

import dev.switchboard.socketio.broadcast.EventArgs;
import dev.switchboard.socketio.parser.SioPacket;
import java.util.concurrent.atomic.AtomicBoolean;

/** The acknowledgement handed to an event handler: the first send writes the ACK, later ones are ignored. */
final class OnceAck implements Ack {

    private final Client client;
    private final String namespace;
    private final long ackId;
    private final AtomicBoolean sent = new AtomicBoolean();

    OnceAck(Client client, String namespace, long ackId) {
        this.client = client;
        this.namespace = namespace;
        this.ackId = ackId;
    }

    @Override
    public void send(Object... args) {
        if (sent.compareAndSet(false, true)) {
            client.write(SioPacket.ack(namespace, EventArgs.ackData(args), ackId), false);
        }
    }
}
