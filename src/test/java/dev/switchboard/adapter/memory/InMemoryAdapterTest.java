package dev.switchboard.adapter.memory;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.switchboard.adapter.BroadcastFlags;
import dev.switchboard.adapter.BroadcastOptions;
import dev.switchboard.adapter.LocalSocket;
import dev.switchboard.adapter.NamespaceView;
import dev.switchboard.adapter.PersistedSession;
import dev.switchboard.adapter.RestoredSession;
import dev.switchboard.adapter.SocketDetails;
import dev.switchboard.socketio.parser.EncodedSioPacket;
import dev.switchboard.socketio.parser.SioPacket;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

class InMemoryAdapterTest {

    private final Map<String, RecordingSocket> sockets = new HashMap<>();
    private long now;
    private long window;
    private long ackIds;

    private final NamespaceView view = new NamespaceView() {
        @Override
        public String name() {
            return "/";
        }

        @Override
        public Optional<LocalSocket> localSocket(String socketId) {
            return Optional.ofNullable(sockets.get(socketId));
        }

        @Override
        public long nextAckId() {
            return ackIds++;
        }

        @Override
        public long nowMillis() {
            return now;
        }

        @Override
        public long recoveryWindowMillis() {
            return window;
        }

        @Override
        public void onServerSideEmit(List<JsonNode> args) {
        }
    };

    private InMemoryAdapter adapterWith(String... ids) {
        InMemoryAdapter adapter = new InMemoryAdapter(view);
        for (String id : ids) {
            sockets.put(id, new RecordingSocket(id, adapter));
            adapter.addAll(id, Set.of(id));
        }
        return adapter;
    }

    @Test
    void roomBookkeeping() {
        InMemoryAdapter adapter = adapterWith("a", "b");
        adapter.addAll("a", Set.of("r1", "r2"));
        adapter.addAll("b", Set.of("r2"));
        assertThat(adapter.socketRooms("a")).containsExactlyInAnyOrder("a", "r1", "r2");
        assertThat(adapter.sockets(Set.of("r2"))).containsExactlyInAnyOrder("a", "b");
        assertThat(adapter.sockets(Set.of())).containsExactlyInAnyOrder("a", "b");
        adapter.del("a", "r2");
        assertThat(adapter.sockets(Set.of("r2"))).containsExactly("b");
        adapter.delAll("b");
        assertThat(adapter.rooms()).doesNotContainKey("r2").containsKeys("a", "r1");
        assertThat(adapter.socketRooms("b")).isEmpty();
        assertThat(adapter.roomCount()).isEqualTo(2);
        adapter.delAll("a");
        assertThat(adapter.roomCount()).as("nothing left once every socket left").isZero();
    }

    @Test
    void broadcastEncodesOnceAndHonoursExcept() {
        InMemoryAdapter adapter = adapterWith("a", "b", "c");
        adapter.addAll("a", Set.of("r"));
        adapter.addAll("b", Set.of("r"));
        ArrayNode data = JsonNodeFactory.instance.arrayNode().add("ev");
        adapter.broadcast(SioPacket.event("/", data, SioPacket.NO_ACK),
                new BroadcastOptions(Set.of("r", "a"), Set.of("b"), BroadcastFlags.NONE));
        assertThat(sockets.get("a").delivered).extracting(EncodedSioPacket::text).containsExactly("2[\"ev\"]");
        assertThat(sockets.get("b").delivered).isEmpty();
        assertThat(sockets.get("c").delivered).isEmpty();
    }

    @Test
    void aSendersBroadcastToOneRoomOrToAllReachesEveryoneButTheSender() {
        InMemoryAdapter adapter = adapterWith("a", "b", "c", "d");
        for (String id : List.of("a", "b", "c")) {
            adapter.addAll(id, Set.of("r"));
        }
        ArrayNode data = JsonNodeFactory.instance.arrayNode().add("ev");
        // socket.broadcast.to("r") from a: the room, except the sender's own room
        adapter.broadcast(SioPacket.event("/", data, SioPacket.NO_ACK),
                new BroadcastOptions(Set.of("r"), Set.of("a"), BroadcastFlags.NONE));
        assertThat(List.of("a", "b", "c", "d")).map(id -> sockets.get(id).delivered.size()).containsExactly(0, 1, 1, 0);
        // socket.broadcast from c: everyone but c, and but a room's members
        adapter.broadcast(SioPacket.event("/", data, SioPacket.NO_ACK),
                new BroadcastOptions(Set.of(), Set.of("c", "nobody-here"), BroadcastFlags.NONE));
        assertThat(List.of("a", "b", "c", "d")).map(id -> sockets.get(id).delivered.size()).containsExactly(1, 2, 1, 1);
        adapter.broadcast(SioPacket.event("/", data, SioPacket.NO_ACK),
                new BroadcastOptions(Set.of("r"), Set.of("r"), BroadcastFlags.NONE));
        assertThat(List.of("a", "b", "c", "d")).as("a room except itself: nobody")
                .map(id -> sockets.get(id).delivered.size()).containsExactly(1, 2, 1, 1);
    }

    @Test
    void broadcastWithAckCountsRecipientsAndRegistersAcks() {
        InMemoryAdapter adapter = adapterWith("a", "b");
        List<Integer> counts = new ArrayList<>();
        ArrayNode data = JsonNodeFactory.instance.arrayNode().add("ev");
        adapter.broadcastWithAck(SioPacket.event("/", data, 5), BroadcastOptions.all(), counts::add, args -> { });
        assertThat(counts).containsExactly(2);
        assertThat(sockets.get("a").ackIds).containsExactly(5L);
        assertThat(sockets.get("a").delivered.get(0).text()).isEqualTo("25[\"ev\"]");
    }

    @Test
    void managementOperationsReachTheSelectedSockets() throws Exception {
        InMemoryAdapter adapter = adapterWith("a", "b");
        adapter.addAll("a", Set.of("r"));
        adapter.addSockets(new BroadcastOptions(Set.of("r"), Set.of(), null), Set.of("x"));
        assertThat(adapter.sockets(Set.of("x"))).containsExactly("a");
        adapter.delSockets(BroadcastOptions.all(), Set.of("x"));
        assertThat(adapter.sockets(Set.of("x"))).isEmpty();
        assertThat(adapter.fetchSockets(BroadcastOptions.socket("b")).get()).extracting(SocketDetails::id)
                .containsExactly("b");
        adapter.disconnectSockets(BroadcastOptions.all(), true);
        assertThat(sockets.get("a").disconnected).isTrue();
        assertThat(sockets.get("b").disconnected).isTrue();
    }

    @Test
    void recoveryLogsEventsAndRestoresMissedOnes() throws Exception {
        window = 1000;
        InMemoryAdapter adapter = adapterWith("a");
        adapter.addAll("a", Set.of("r"));
        adapter.broadcast(SioPacket.event("/", JsonNodeFactory.instance.arrayNode().add("first"), -1),
                BroadcastOptions.all());
        String offset = sockets.get("a").lastPacket.data().get(1).asText();
        adapter.persistSession(new PersistedSession("a", "pid-a", Set.of("a", "r"), Map.of("k", "v")));
        adapter.broadcast(SioPacket.event("/", JsonNodeFactory.instance.arrayNode().add("to-r"), -1),
                new BroadcastOptions(Set.of("r"), Set.of(), null));
        adapter.broadcast(SioPacket.event("/", JsonNodeFactory.instance.arrayNode().add("except-r"), -1),
                new BroadcastOptions(Set.of(), Set.of("r"), null));
        adapter.broadcast(SioPacket.event("/", JsonNodeFactory.instance.arrayNode().add("with-ack"), 3),
                BroadcastOptions.all());

        RestoredSession restored = adapter.restoreSession("pid-a", offset).get().orElseThrow();
        assertThat(restored.session().sid()).isEqualTo("a");
        assertThat(restored.session().data()).containsEntry("k", "v");
        assertThat(restored.missedPackets()).extracting(p -> p.get(0).asText()).containsExactly("to-r");
        assertThat(adapter.restoreSession("pid-a", offset).get()).isEmpty();
    }

    @Test
    void recoveryForgetsOldSessionsAndPackets() throws Exception {
        window = 1000;
        InMemoryAdapter adapter = adapterWith("a");
        adapter.broadcast(SioPacket.event("/", JsonNodeFactory.instance.arrayNode().add("e"), -1),
                BroadcastOptions.all());
        String offset = sockets.get("a").lastPacket.data().get(1).asText();
        adapter.persistSession(new PersistedSession("a", "p", Set.of("a"), Map.of()));
        now = 1001;
        assertThat(adapter.restoreSession("p", offset).get()).isEmpty();
    }

    @Test
    void withoutRecoveryNothingIsLogged() throws Exception {
        InMemoryAdapter adapter = adapterWith("a");
        adapter.broadcast(SioPacket.event("/", JsonNodeFactory.instance.arrayNode().add("e"), -1),
                BroadcastOptions.all());
        assertThat(sockets.get("a").lastPacket.data().size()).isEqualTo(1);
        adapter.persistSession(new PersistedSession("a", "p", Set.of("a"), Map.of()));
        assertThat(adapter.restoreSession("p", "x").get()).isEmpty();
    }

    @Test
    void broadcastOptionsMatchRooms() {
        BroadcastOptions options = new BroadcastOptions(Set.of("r"), Set.of("x"), null);
        assertThat(options.matches(Set.of("r"))).isTrue();
        assertThat(options.matches(Set.of("r", "x"))).isFalse();
        assertThat(options.matches(Set.of("y"))).isFalse();
        assertThat(BroadcastOptions.all().matches(Set.of("y"))).isTrue();
    }

    private static final class RecordingSocket implements LocalSocket {
        final String id;
        final InMemoryAdapter adapter;
        final List<EncodedSioPacket> delivered = new ArrayList<>();
        final List<Long> ackIds = new ArrayList<>();
        SioPacket lastPacket;
        boolean disconnected;

        RecordingSocket(String id, InMemoryAdapter adapter) {
            this.id = id;
            this.adapter = adapter;
        }

        @Override
        public String id() {
            return id;
        }

        @Override
        public SocketDetails details() {
            return new SocketDetails(id, JsonNodeFactory.instance.objectNode(), adapter.socketRooms(id), Map.of());
        }

        @Override
        public void deliver(SioPacket packet, EncodedSioPacket encoded, BroadcastFlags flags) {
            lastPacket = packet;
            delivered.add(encoded);
        }

        @Override
        public void expectAck(long ackId, Consumer<List<JsonNode>> ack) {
            ackIds.add(ackId);
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
        }
    }
}
