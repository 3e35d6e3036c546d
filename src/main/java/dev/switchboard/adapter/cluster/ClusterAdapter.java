package dev.switchboard.adapter.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.adapter.BroadcastOptions;
import dev.switchboard.adapter.NamespaceView;
import dev.switchboard.adapter.SocketDetails;
import dev.switchboard.adapter.cluster.ClusterMessage.Broadcast;
import dev.switchboard.adapter.cluster.ClusterMessage.BroadcastAck;
import dev.switchboard.adapter.cluster.ClusterMessage.BroadcastClientCount;
import dev.switchboard.adapter.cluster.ClusterMessage.BroadcastWithAck;
import dev.switchboard.adapter.cluster.ClusterMessage.DisconnectSockets;
import dev.switchboard.adapter.cluster.ClusterMessage.FetchSockets;
import dev.switchboard.adapter.cluster.ClusterMessage.FetchSocketsResponse;
import dev.switchboard.adapter.cluster.ClusterMessage.Heartbeat;
import dev.switchboard.adapter.cluster.ClusterMessage.NodeClosing;
import dev.switchboard.adapter.cluster.ClusterMessage.ServerSideEmit;
import dev.switchboard.adapter.cluster.ClusterMessage.ServerSideEmitResponse;
import dev.switchboard.adapter.cluster.ClusterMessage.SocketsJoin;
import dev.switchboard.adapter.cluster.ClusterMessage.SocketsLeave;
import dev.switchboard.adapter.memory.InMemoryAdapter;
import dev.switchboard.socketio.parser.SioPacket;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import java.util.function.IntConsumer;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * A namespace's adapter in a cluster: every operation runs locally (as {@link InMemoryAdapter}) and is published to
 * the other nodes, which apply it to their own sockets. Subclasses only move bytes: {@link #publish} and a call to
 * {@link #onMessage} for each message received on the {@link #channels()}.
 *
 * <p>Requests that expect answers (fetchSockets, broadcasts with acknowledgements) are correlated by request id,
 * expect one answer per other node ({@link #serverCount()}), and are removed when complete or when their timeout
 * fires. Nodes announce themselves with heartbeats; the live node count is built from them.
 */
public abstract class ClusterAdapter extends InMemoryAdapter {

    private static final Logger LOG = Logger.getLogger(ClusterAdapter.class.getName());
    private static final char[] ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789".toCharArray();
    private static final SecureRandom RANDOM = new SecureRandom();

    protected final String uid;
    protected final ClusterOptions options;
    private final ClusterChannels channels;
    private final ClusterCodec codec = new ClusterCodec();
    private final ClusterTimer timer;
    private final Map<String, Long> nodes = new ConcurrentHashMap<>();
    private final Map<String, PendingFetch> fetches = new ConcurrentHashMap<>();
    private final Map<String, PendingAck> acks = new ConcurrentHashMap<>();
    private volatile ClusterTimer.Cancel heartbeat = ClusterTimer.Cancel.NONE;
    private volatile boolean closed;

    protected ClusterAdapter(NamespaceView namespace, ClusterOptions options, ClusterTimer timer) {
        super(namespace);
        this.options = options;
        this.timer = timer;
        this.uid = randomId(12);
        this.channels = ClusterChannels.of(options.keyPrefix(), namespace.name(), uid);
    }

    /** Sends bytes on a channel to every node (this one included, which ignores its own messages). */
    protected abstract void publish(String channel, byte[] payload);

    public final String uid() {
        return uid;
    }

    public final ClusterChannels channels() {
        return channels;
    }

    /** Requests waiting for answers (for tests and metrics). */
    public final int pendingRequests() {
        return fetches.size() + acks.size();
    }

    @Override
    public void init() {
        super.init();
        beat();
    }

    private void beat() {
        if (closed) {
            return;
        }
        send(channels.request(), new Heartbeat(uid));
        heartbeat = timer.schedule(this::beat, options.heartbeatIntervalMillis());
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        heartbeat.cancel();
        send(channels.request(), new NodeClosing(uid));
        fetches.values().forEach(p -> p.fail(new IllegalStateException("adapter closed")));
        fetches.clear();
        acks.values().forEach(PendingAck::cancel);
        acks.clear();
        super.close();
    }

    /** 1 + the nodes heard from within the heartbeat timeout. */
    @Override
    public CompletableFuture<Integer> serverCount() {
        return CompletableFuture.completedFuture(liveNodeCount());
    }

    public final int liveNodeCount() {
        long threshold = namespace.nowMillis() - options.heartbeatTimeoutMillis();
        nodes.values().removeIf(seen -> seen < threshold);
        return 1 + nodes.size();
    }

    // ---- outgoing ----

    @Override
    public int broadcast(SioPacket packet, BroadcastOptions opts) {
        if (!opts.flags().local() && !isOwnSocket(opts)) {
            send(channels.broadcastTo(opts.rooms()), new Broadcast(uid, packet, opts));
        }
        return super.broadcast(packet, opts);
    }

    /** A packet for exactly one socket that lives here (a recovery-logged socket.emit) needs no publishing. */
    private boolean isOwnSocket(BroadcastOptions opts) {
        return opts.rooms().size() == 1 && opts.except().isEmpty()
                && namespace.localSocket(opts.rooms().iterator().next()).isPresent();
    }

    @Override
    public void broadcastWithAck(SioPacket packet, BroadcastOptions opts, IntConsumer clientCount,
                                 Consumer<List<JsonNode>> ack) {
        if (!opts.flags().local()) {
            String requestId = randomId(12);
            long timeout = opts.flags().hasTimeout() ? opts.flags().timeoutMillis() : options.requestTimeoutMillis();
            PendingAck pending = new PendingAck(clientCount, ack);
            acks.put(requestId, pending);
            pending.timer = timer.schedule(() -> acks.remove(requestId), timeout);
            send(channels.request(), new BroadcastWithAck(uid, requestId, packet, opts));
        }
        super.broadcastWithAck(packet, opts, clientCount, ack);
    }

    @Override
    public CompletableFuture<List<SocketDetails>> fetchSockets(BroadcastOptions opts) {
        CompletableFuture<List<SocketDetails>> local = super.fetchSockets(opts);
        if (opts.flags().local()) {
            return local;
        }
        return serverCount().thenCombine(local, (count, localSockets) -> {
            int expected = count - 1;
            if (expected <= 0) {
                return CompletableFuture.completedFuture(localSockets);
            }
            String requestId = randomId(12);
            PendingFetch pending = new PendingFetch(expected, new ArrayList<>(localSockets));
            fetches.put(requestId, pending);
            pending.timer = timer.schedule(() -> {
                if (fetches.remove(requestId) != null) {
                    pending.fail(new TimeoutException("fetchSockets: " + pending.received + " of " + expected
                            + " nodes answered within " + options.requestTimeoutMillis() + " ms"));
                }
            }, options.requestTimeoutMillis());
            send(channels.request(), new FetchSockets(uid, requestId, opts));
            return pending.result;
        }).thenCompose(f -> f);
    }

    @Override
    public void addSockets(BroadcastOptions opts, Set<String> rooms) {
        if (!opts.flags().local()) {
            send(channels.request(), new SocketsJoin(uid, opts, rooms));
        }
        super.addSockets(opts, rooms);
    }

    @Override
    public void delSockets(BroadcastOptions opts, Set<String> rooms) {
        if (!opts.flags().local()) {
            send(channels.request(), new SocketsLeave(uid, opts, rooms));
        }
        super.delSockets(opts, rooms);
    }

    @Override
    public void disconnectSockets(BroadcastOptions opts, boolean close) {
        if (!opts.flags().local()) {
            send(channels.request(), new DisconnectSockets(uid, opts, close));
        }
        super.disconnectSockets(opts, close);
    }

    @Override
    public void serverSideEmit(List<JsonNode> args) {
        send(channels.request(), new ServerSideEmit(uid, null, args));
    }

    private void send(String channel, ClusterMessage message) {
        try {
            publish(channel, codec.encode(message));
        } catch (RuntimeException e) {
            // the cluster is unreachable: local clients are still served; the subclass reports the outage
            LOG.log(Level.FINE, e, () -> "could not publish " + message.getClass().getSimpleName() + " on " + channel);
        }
    }

    // ---- incoming ----

    /** Handles one message received on one of {@link #channels()}; never throws. */
    public final void onMessage(String channel, byte[] payload) {
        if (closed) {
            return;
        }
        try {
            if (channel.startsWith(channels.response())) {
                onResponse(codec.decodeRequestOrResponse(payload));
            } else if (channel.equals(channels.request())) {
                onRequest(codec.decodeRequestOrResponse(payload));
            } else if (channel.startsWith(channels.broadcast())) {
                onBroadcast(channel, codec.decodeBroadcast(payload));
            }
        } catch (ClusterCodecException e) {
            LOG.log(Level.WARNING, "dropped an undecodable cluster message on {0}: {1}",
                    new Object[] {channel, e.getMessage()});
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, e, () -> "cluster message on " + channel + " failed");
        }
    }

    private void onBroadcast(String channel, Broadcast message) {
        if (uid.equals(message.uid())) {
            return;
        }
        seen(message.uid());
        String room = channel.substring(channels.broadcast().length(), Math.max(channels.broadcast().length(),
                channel.length() - 1));
        if (!room.isEmpty() && sockets(Set.of(room)).isEmpty()) {
            return; // a single-room broadcast for a room with no member here
        }
        if (!namespace.name().equals(message.packet().namespace())) {
            return;
        }
        super.broadcast(message.packet(), message.options());
    }

    private void onRequest(ClusterMessage message) {
        if (message == null || message.uid() == null || uid.equals(message.uid())) {
            return;
        }
        seen(message.uid());
        String replyTo = channels.responseTo(message.uid());
        switch (message) {
            case Heartbeat h -> { }
            case NodeClosing c -> nodes.remove(c.uid());
            case SocketsJoin j -> super.addSockets(j.options(), j.rooms());
            case SocketsLeave l -> super.delSockets(l.options(), l.rooms());
            case DisconnectSockets d -> super.disconnectSockets(d.options(), d.close());
            case FetchSockets f -> super.fetchSockets(f.options()).thenAccept(sockets ->
                    send(replyTo, new FetchSocketsResponse(f.requestId(), sockets)));
            case ServerSideEmit s -> namespace.onServerSideEmit(s.args());
            case BroadcastWithAck b -> super.broadcastWithAck(withLocalAckId(b.packet()), b.options(),
                    count -> send(replyTo, new BroadcastClientCount(b.requestId(), count)),
                    args -> send(replyTo, new BroadcastAck(b.requestId(), args.isEmpty() ? null : args.get(0))));
            default -> LOG.log(Level.FINE, "ignored request {0}", message);
        }
    }

    /**
     * The ack id is this node's business: the reference publishes the packet before giving it an id, and ids of
     * another node could collide with this node's own, so every node numbers the packets it delivers.
     */
    private SioPacket withLocalAckId(SioPacket packet) {
        return new SioPacket(packet.type(), packet.namespace(), packet.data(), namespace.nextAckId());
    }

    private void onResponse(ClusterMessage message) {
        switch (message) {
            case null -> { }
            case FetchSocketsResponse r -> {
                PendingFetch pending = fetches.get(r.requestId());
                if (pending != null && pending.add(r.sockets())) {
                    fetches.remove(r.requestId());
                }
            }
            case BroadcastClientCount c -> {
                PendingAck pending = acks.get(c.requestId());
                if (pending != null) {
                    pending.clientCount.accept(c.clientCount());
                }
            }
            case BroadcastAck a -> {
                PendingAck pending = acks.get(a.requestId());
                if (pending != null) {
                    pending.ack.accept(a.arg() == null ? List.of() : List.of(a.arg()));
                }
            }
            case ServerSideEmitResponse r -> { } // serverSideEmit with acknowledgement is not offered here yet
            default -> LOG.log(Level.FINE, "ignored response {0}", message);
        }
    }

    private void seen(String node) {
        nodes.put(node, namespace.nowMillis());
    }

    private static String randomId(int length) {
        char[] id = new char[length];
        for (int i = 0; i < length; i++) {
            id[i] = ALPHABET[RANDOM.nextInt(ALPHABET.length)];
        }
        return new String(id);
    }

    private static final class PendingFetch {
        final int expected;
        final List<SocketDetails> sockets;
        final CompletableFuture<List<SocketDetails>> result = new CompletableFuture<>();
        volatile ClusterTimer.Cancel timer = ClusterTimer.Cancel.NONE;
        int received;

        PendingFetch(int expected, List<SocketDetails> sockets) {
            this.expected = expected;
            this.sockets = sockets;
        }

        /** True when this was the last answer. */
        boolean add(List<SocketDetails> more) {
            List<SocketDetails> all;
            synchronized (this) {
                sockets.addAll(more);
                if (++received < expected) {
                    return false;
                }
                all = List.copyOf(sockets);
            }
            timer.cancel();
            result.complete(all);
            return true;
        }

        void fail(Throwable error) {
            timer.cancel();
            result.completeExceptionally(error);
        }
    }

    private static final class PendingAck {
        final IntConsumer clientCount;
        final Consumer<List<JsonNode>> ack;
        volatile ClusterTimer.Cancel timer = ClusterTimer.Cancel.NONE;

        PendingAck(IntConsumer clientCount, Consumer<List<JsonNode>> ack) {
            this.clientCount = clientCount;
            this.ack = ack;
        }

        void cancel() {
            timer.cancel();
        }
    }
}
