package dev.switchboard.adapter.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.switchboard.adapter.BroadcastFlags;
import dev.switchboard.adapter.LocalSocket;
import dev.switchboard.adapter.NamespaceView;
import dev.switchboard.adapter.SocketDetails;
import dev.switchboard.socketio.parser.EncodedSioPacket;
import dev.switchboard.socketio.parser.SioPacket;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/** One node of a test cluster: a namespace view with recording sockets and a cluster adapter on a {@link FakeBus}. */
public final class FakeNode {

    public final Map<String, Sock> sockets = new java.util.concurrent.ConcurrentHashMap<>();
    public final List<List<JsonNode>> serverSideEvents = new CopyOnWriteArrayList<>();
    public final ClusterAdapter adapter;

    FakeNode(FakeBus bus, String nsp) {
        this(nsp, () -> bus.now, view -> bus.adapter(view));
    }

    public FakeNode(String nsp, java.util.function.LongSupplier clock,
             java.util.function.Function<NamespaceView, ClusterAdapter> factory) {
        NamespaceView view = new NamespaceView() {
            @Override
            public String name() {
                return nsp;
            }

            @Override
            public Optional<LocalSocket> localSocket(String socketId) {
                return Optional.ofNullable(sockets.get(socketId));
            }

            @Override
            public long nextAckId() {
                return 42; // what the tests' clients answer to
            }

            @Override
            public long nowMillis() {
                return clock.getAsLong();
            }

            @Override
            public long recoveryWindowMillis() {
                return 0;
            }

            @Override
            public void onServerSideEmit(List<JsonNode> args) {
                serverSideEvents.add(args);
            }
        };
        adapter = factory.apply(view);
    }

    public Sock connect(String id, String... rooms) {
        Sock s = new Sock(id);
        sockets.put(id, s);
        adapter.addAll(id, Set.of(id));
        if (rooms.length > 0) {
            adapter.addAll(id, Set.of(rooms));
        }
        return s;
    }

    public final class Sock implements LocalSocket {
        final String id;
        public final List<SioPacket> received = new CopyOnWriteArrayList<>();
        final Map<Long, Consumer<List<JsonNode>>> acks = new java.util.concurrent.ConcurrentHashMap<>();
        public volatile boolean disconnected;

        Sock(String id) {
            this.id = id;
        }

        @Override
        public String id() {
            return id;
        }

        @Override
        public SocketDetails details() {
            return new SocketDetails(id, JsonNodeFactory.instance.objectNode().put("address", "127.0.0.1"),
                    adapter.socketRooms(id), Map.of("user", id.toUpperCase()));
        }

        @Override
        public void deliver(SioPacket packet, EncodedSioPacket encoded, BroadcastFlags flags) {
            received.add(packet);
        }

        @Override
        public void expectAck(long ackId, Consumer<List<JsonNode>> ack) {
            acks.put(ackId, ack);
        }

        /** The client answers the broadcast's ack. */
        public void answer(long ackId, JsonNode value) {
            acks.remove(ackId).accept(List.of(value));
        }

        @Override
        public void join(Set<String> rooms) {
            adapter.addAll(id, rooms);
        }

        @Override
        public void leave(Set<String> rooms) {
            rooms.forEach(r -> adapter.del(id, r));
        }

        @Override
        public void disconnect(boolean close) {
            disconnected = true;
            adapter.delAll(id);
            sockets.remove(id);
        }
    }
}
