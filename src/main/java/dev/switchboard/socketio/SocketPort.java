package dev.switchboard.socketio;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.adapter.BroadcastFlags;
import dev.switchboard.adapter.LocalSocket;
import dev.switchboard.adapter.SocketDetails;
import dev.switchboard.socketio.parser.EncodedSioPacket;
import dev.switchboard.socketio.parser.SioPacket;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;

/** What an adapter sees of one socket: delivery of encoded broadcasts, ack registration, rooms, disconnect. */
final class SocketPort implements LocalSocket {

    private final Socket socket;

    SocketPort(Socket socket) {
        this.socket = socket;
    }

    @Override
    public String id() {
        return socket.id();
    }

    @Override
    public SocketDetails details() {
        return socket.details();
    }

    @Override
    public void deliver(SioPacket packet, EncodedSioPacket encoded, BroadcastFlags flags) {
        socket.deliver(packet, encoded, flags);
    }

    @Override
    public void expectAck(long ackId, Consumer<List<JsonNode>> ack) {
        socket.expectBroadcastAck(ackId, ack);
    }

    @Override
    public void join(Set<String> rooms) {
        socket.join(rooms.toArray(String[]::new));
    }

    @Override
    public void leave(Set<String> rooms) {
        rooms.forEach(socket::leave);
    }

    @Override
    public void disconnect(boolean closeUnderlyingConnection) {
        socket.disconnect(closeUnderlyingConnection);
    }
}
