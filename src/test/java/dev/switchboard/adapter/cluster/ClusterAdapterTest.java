package dev.switchboard.adapter.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.switchboard.adapter.BroadcastFlags;
import dev.switchboard.adapter.BroadcastOptions;
import dev.switchboard.adapter.SocketDetails;
import dev.switchboard.socketio.parser.SioPacket;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Three cluster adapters on one in-memory bus: what one node does reaches the others' sockets exactly once. */
class ClusterAdapterTest {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private FakeBus bus;
    private FakeNode a;
    private FakeNode b;
    private FakeNode c;

    @BeforeEach
    void cluster() {
        bus = new FakeBus();
        a = new FakeNode(bus, "/");
        b = new FakeNode(bus, "/");
        c = new FakeNode(bus, "/");
        a.adapter.init();
        b.adapter.init();
        c.adapter.init();
        a.connect("a1", "room");
        a.connect("a2");
        b.connect("b1", "room");
        b.connect("b2", "room", "vip");
        c.connect("c1", "room");
    }

    private static SioPacket event(String name) {
        return SioPacket.event("/", NODES.arrayNode().add(name), SioPacket.NO_ACK);
    }

    private static BroadcastOptions to(Set<String> rooms, Set<String> except, BroadcastFlags flags) {
        return new BroadcastOptions(rooms, except, flags);
    }

    private static int count(FakeNode.Sock s) {
        return s.received.size();
    }

    @Test
    void roomBroadcastReachesEveryNodeOnceAndHonoursExcept() {
        a.adapter.broadcast(event("hi"), to(Set.of("room"), Set.of("vip"), null));
        assertThat(count(a.sockets.get("a1"))).isEqualTo(1);
        assertThat(count(a.sockets.get("a2"))).isZero();
        assertThat(count(b.sockets.get("b1"))).isEqualTo(1);
        assertThat(count(b.sockets.get("b2"))).isZero(); // excepted through a room held on another node
        assertThat(count(c.sockets.get("c1"))).isEqualTo(1);
        assertThat(bus.published).contains("test#/#room#");
    }

    @Test
    void broadcastToAllAndLocalOnly() {
        b.adapter.broadcast(event("all"), BroadcastOptions.all());
        for (FakeNode n : List.of(a, b, c)) {
            n.sockets.values().forEach(s -> assertThat(count(s)).as(s.id).isEqualTo(1));
        }
        int published = bus.published.size();
        b.adapter.broadcast(event("local"), to(Set.of(), Set.of(), BroadcastFlags.NONE.withLocal(true)));
        assertThat(bus.published).hasSize(published);
        assertThat(count(a.sockets.get("a1"))).isEqualTo(1);
        assertThat(count(b.sockets.get("b1"))).isEqualTo(2);
    }

    @Test
    void aBroadcastToOneLocalSocketIsNotPublished() {
        int published = bus.published.size();
        a.adapter.broadcast(event("own"), BroadcastOptions.socket("a1"));
        assertThat(bus.published).hasSize(published);
        assertThat(count(a.sockets.get("a1"))).isEqualTo(1);
        a.adapter.broadcast(event("remote"), BroadcastOptions.socket("c1"));
        assertThat(count(c.sockets.get("c1"))).isEqualTo(1);
    }

    @Test
    void otherNamespacesAreNotTouched() {
        FakeNode other = new FakeNode(bus, "/other");
        other.adapter.init();
        FakeNode.Sock o1 = other.connect("o1", "room");
        a.adapter.broadcast(event("hi"), to(Set.of("room"), Set.of(), null));
        assertThat(count(o1)).isZero();
    }

    @Test
    void fetchSocketsGathersEveryNode() throws Exception {
        CompletableFuture<List<SocketDetails>> found = a.adapter.fetchSockets(to(Set.of("room"), Set.of(), null));
        List<SocketDetails> sockets = found.get();
        assertThat(sockets).extracting(SocketDetails::id).containsExactlyInAnyOrder("a1", "b1", "b2", "c1");
        SocketDetails b2 = sockets.stream().filter(s -> s.id().equals("b2")).findFirst().orElseThrow();
        assertThat(b2.rooms()).containsExactlyInAnyOrder("b2", "room", "vip");
        assertThat(b2.data()).containsEntry("user", "B2");
        assertThat(b2.handshake().path("address").asText()).isEqualTo("127.0.0.1");
        assertThat(a.adapter.pendingRequests()).isZero();
    }

    @Test
    void fetchSocketsTimesOutWhenANodeStaysSilentAndForgetsTheRequest() {
        bus.queued = true; // nothing is delivered until deliver(): the other nodes never answer
        CompletableFuture<List<SocketDetails>> found = a.adapter.fetchSockets(BroadcastOptions.all());
        assertThat(found).isNotDone();
        assertThat(a.adapter.pendingRequests()).isEqualTo(1);
        bus.advance(5_000);
        assertThat(found).isCompletedExceptionally();
        assertThat(catchCause(found)).isInstanceOf(TimeoutException.class);
        assertThat(a.adapter.pendingRequests()).isZero();
    }

    @Test
    void socketsJoinLeaveAndDisconnectAcrossNodes() {
        a.adapter.addSockets(to(Set.of("room"), Set.of(), null), Set.of("news"));
        assertThat(c.adapter.socketRooms("c1")).contains("news");
        assertThat(b.adapter.socketRooms("b2")).contains("news");
        assertThat(a.adapter.socketRooms("a2")).doesNotContain("news");
        c.adapter.delSockets(to(Set.of("vip"), Set.of(), null), Set.of("news"));
        assertThat(b.adapter.socketRooms("b2")).doesNotContain("news");
        assertThat(b.adapter.socketRooms("b1")).contains("news");
        b.adapter.disconnectSockets(to(Set.of("news"), Set.of(), null), true);
        assertThat(a.sockets).containsOnlyKeys("a2");
        assertThat(b.sockets).containsOnlyKeys("b2");
        assertThat(c.sockets).isEmpty();
    }

    @Test
    void broadcastWithAckCountsEveryNodeAndRelaysAnswers() {
        List<Integer> counts = new ArrayList<>();
        List<List<JsonNode>> answers = new ArrayList<>();
        SioPacket packet = SioPacket.event("/", NODES.arrayNode().add("question"), 42);
        a.adapter.broadcastWithAck(packet, to(Set.of("room"), Set.of(), new BroadcastFlags(false, false, 1000)),
                counts::add, answers::add);
        assertThat(counts).containsExactlyInAnyOrder(1, 2, 1); // a, b, c
        assertThat(a.adapter.serverCount().join()).isEqualTo(3);
        b.sockets.get("b2").answer(42, NODES.textNode("yes-b2"));
        c.sockets.get("c1").answer(42, NODES.textNode("yes-c1"));
        a.sockets.get("a1").answer(42, NODES.textNode("yes-a1"));
        assertThat(answers).extracting(l -> l.get(0).asText()).containsExactlyInAnyOrder("yes-a1", "yes-b2", "yes-c1");
        assertThat(a.adapter.pendingRequests()).isEqualTo(1);
        bus.advance(1_000);
        assertThat(a.adapter.pendingRequests()).isZero();
        b.sockets.get("b1").answer(42, NODES.textNode("late"));
        assertThat(answers).hasSize(3); // an answer after the timeout is dropped
    }

    @Test
    void serverSideEmitReachesTheOtherNodesOnly() {
        a.adapter.serverSideEmit(List.of(NODES.textNode("sync"), NODES.numberNode(1)));
        assertThat(a.serverSideEvents).isEmpty();
        assertThat(b.serverSideEvents).hasSize(1);
        assertThat(c.serverSideEvents.get(0).get(0).asText()).isEqualTo("sync");
    }

    @Test
    void heartbeatsGiveTheLiveNodeCount() {
        assertThat(a.adapter.liveNodeCount()).isEqualTo(3);
        c.adapter.close();
        assertThat(a.adapter.liveNodeCount()).isEqualTo(2); // told at once
        // b goes silent (its heartbeats are lost): it ages out after the heartbeat timeout
        bus.silenced.add(b.adapter);
        for (int i = 0; i < 3; i++) {
            bus.advance(5_000);
        }
        assertThat(a.adapter.liveNodeCount()).isEqualTo(1);
        bus.silenced.remove(b.adapter);
        bus.advance(5_000);
        assertThat(a.adapter.liveNodeCount()).isEqualTo(2);
    }

    @Test
    void whenTheBusIsDownLocalClientsAreStillServed() {
        bus.down = true;
        a.adapter.broadcast(event("hi"), to(Set.of("room"), Set.of(), null));
        assertThat(count(a.sockets.get("a1"))).isEqualTo(1);
        assertThat(count(b.sockets.get("b1"))).isZero();
        bus.down = false;
        a.adapter.broadcast(event("again"), to(Set.of("room"), Set.of(), null));
        assertThat(count(b.sockets.get("b1"))).isEqualTo(1);
    }

    @Test
    void closeFailsPendingRequestsAndStopsListening() {
        bus.queued = true;
        CompletableFuture<List<SocketDetails>> found = a.adapter.fetchSockets(BroadcastOptions.all());
        a.adapter.close();
        assertThat(found).isCompletedExceptionally();
        assertThat(a.adapter.pendingRequests()).isZero();
    }

    private static Throwable catchCause(CompletableFuture<?> f) {
        try {
            f.get();
            return null;
        } catch (ExecutionException e) {
            return e.getCause();
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
    }
}
