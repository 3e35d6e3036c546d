package dev.switchboard.adapter.memory;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.switchboard.adapter.Adapter;
import dev.switchboard.adapter.BroadcastOptions;
import dev.switchboard.adapter.LocalSocket;
import dev.switchboard.adapter.NamespaceView;
import dev.switchboard.adapter.PersistedSession;
import dev.switchboard.adapter.RestoredSession;
import dev.switchboard.adapter.SocketDetails;
import dev.switchboard.socketio.parser.EncodedSioPacket;
import dev.switchboard.socketio.parser.SioEncoder;
import dev.switchboard.socketio.parser.SioPacket;
import dev.switchboard.socketio.parser.SioPacketType;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import java.util.function.IntConsumer;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The rooms of one namespace on one node, and local delivery of its broadcasts. When the namespace has a recovery
 * window it also keeps disconnected sessions and a time-bounded log of broadcast events (see {@link SessionStore}).
 *
 * <p>Not final: a cluster adapter extends it, publishes each operation to the other nodes, and calls the methods
 * here for the local part (as the reference ClusterAdapter does).
 */
public class InMemoryAdapter implements Adapter {

    private static final Logger LOG = Logger.getLogger(InMemoryAdapter.class.getName());

    protected final NamespaceView namespace;
    private final SioEncoder encoder = new SioEncoder();
    private final Object lock = new Object();
    private final Map<String, Set<String>> roomToSockets = new HashMap<>();
    private final Map<String, Set<String>> socketToRooms = new HashMap<>();
    private final SessionStore sessions;

    public InMemoryAdapter(NamespaceView namespace) {
        this.namespace = namespace;
        long window = namespace.recoveryWindowMillis();
        this.sessions = window > 0 ? new SessionStore(window, namespace::nowMillis) : null;
    }

    @Override
    public void close() {
        synchronized (lock) {
            roomToSockets.clear();
            socketToRooms.clear();
        }
    }

    @Override
    public void addAll(String socketId, Set<String> rooms) {
        synchronized (lock) {
            Set<String> own = socketToRooms.computeIfAbsent(socketId, k -> new LinkedHashSet<>());
            for (String room : rooms) {
                own.add(room);
                roomToSockets.computeIfAbsent(room, k -> new LinkedHashSet<>()).add(socketId);
            }
        }
    }

    @Override
    public void del(String socketId, String room) {
        synchronized (lock) {
            Set<String> own = socketToRooms.get(socketId);
            if (own != null) {
                own.remove(room);
            }
            removeFromRoom(room, socketId);
        }
    }

    @Override
    public void delAll(String socketId) {
        synchronized (lock) {
            Set<String> own = socketToRooms.remove(socketId);
            if (own != null) {
                for (String room : own) {
                    removeFromRoom(room, socketId);
                }
            }
        }
    }

    @Override
    public int roomCount() {
        synchronized (lock) {
            return roomToSockets.size();
        }
    }

    private void removeFromRoom(String room, String socketId) {
        Set<String> members = roomToSockets.get(room);
        if (members != null && members.remove(socketId) && members.isEmpty()) {
            roomToSockets.remove(room);
        }
    }

    @Override
    public Set<String> sockets(Set<String> rooms) {
        return new LinkedHashSet<>(recipients(new BroadcastOptions(rooms, Set.of(), null)));
    }

    @Override
    public Set<String> socketRooms(String socketId) {
        synchronized (lock) {
            Set<String> own = socketToRooms.get(socketId);
            return own == null ? Set.of() : Set.copyOf(own);
        }
    }

    /** Every room of this node with its members (a snapshot). */
    public Map<String, Set<String>> rooms() {
        synchronized (lock) {
            Map<String, Set<String>> copy = new HashMap<>();
            roomToSockets.forEach((room, ids) -> copy.put(room, Set.copyOf(ids)));
            return copy;
        }
    }

    @Override
    public int broadcast(SioPacket packet, BroadcastOptions options) {
        SioPacket toSend = packet;
        if (sessions != null && isPersistable(packet, options)) {
            toSend = new SioPacket(packet.type(), packet.namespace(), sessions.record((ArrayNode) packet.data(), options),
                    packet.ackId());
        }
        EncodedSioPacket encoded = encoder.encode(toSend);
        int count = 0;
        for (LocalSocket socket : localRecipients(options)) {
            count++;
            deliver(socket, toSend, encoded, options);
        }
        return count;
    }

    @Override
    public void broadcastWithAck(SioPacket packet, BroadcastOptions options, IntConsumer clientCount,
                                 Consumer<List<JsonNode>> ack) {
        EncodedSioPacket encoded = encoder.encode(packet);
        int count = 0;
        for (LocalSocket socket : localRecipients(options)) {
            count++;
            socket.expectAck(packet.ackId(), ack);
            deliver(socket, packet, encoded, options);
        }
        clientCount.accept(count);
    }

    private void deliver(LocalSocket socket, SioPacket packet, EncodedSioPacket encoded, BroadcastOptions options) {
        try {
            socket.deliver(packet, encoded, options.flags());
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, e, () -> "delivery to socket " + socket.id() + " failed");
        }
    }

    @Override
    public CompletableFuture<List<SocketDetails>> fetchSockets(BroadcastOptions options) {
        List<SocketDetails> details = new ArrayList<>();
        for (LocalSocket socket : localRecipients(options)) {
            details.add(socket.details());
        }
        return CompletableFuture.completedFuture(details);
    }

    @Override
    public void addSockets(BroadcastOptions options, Set<String> rooms) {
        localRecipients(options).forEach(socket -> socket.join(rooms));
    }

    @Override
    public void delSockets(BroadcastOptions options, Set<String> rooms) {
        localRecipients(options).forEach(socket -> socket.leave(rooms));
    }

    @Override
    public void disconnectSockets(BroadcastOptions options, boolean close) {
        localRecipients(options).forEach(socket -> socket.disconnect(close));
    }

    @Override
    public void serverSideEmit(List<JsonNode> args) {
        LOG.log(Level.FINE, "serverSideEmit on namespace {0}: single node, nobody to tell", namespace.name());
    }

    @Override
    public void persistSession(PersistedSession session) {
        if (sessions != null) {
            sessions.persist(session);
        }
    }

    @Override
    public CompletableFuture<Optional<RestoredSession>> restoreSession(String pid, String offset) {
        return CompletableFuture.completedFuture(sessions == null ? Optional.empty() : sessions.restore(pid, offset));
    }

    /** Events without acknowledgement that are not volatile are logged for recovery, as in the reference. */
    protected boolean isPersistable(SioPacket packet, BroadcastOptions options) {
        return packet.type() == SioPacketType.EVENT && !packet.hasAck() && !options.flags().isVolatile()
                && packet.data() instanceof ArrayNode;
    }

    /** The connected local sockets that a broadcast with these options reaches, each once. */
    protected List<LocalSocket> localRecipients(BroadcastOptions options) {
        List<LocalSocket> sockets = new ArrayList<>();
        for (String id : recipients(options)) {
            namespace.localSocket(id).ifPresent(sockets::add);
        }
        return sockets;
    }

    private List<String> recipients(BroadcastOptions options) {
        synchronized (lock) {
            Set<String> excluded = Set.of();
            if (!options.except().isEmpty()) {
                excluded = new HashSet<>();
                for (String room : options.except()) {
                    excluded.addAll(roomToSockets.getOrDefault(room, Set.of()));
                }
            }
            if (options.rooms().size() <= 1) {
                // The usual broadcast (one room or everyone, maybe but its sender): its members, each once already,
                // filtered as they are copied; no set of them built.
                Collection<String> members = options.rooms().isEmpty() ? socketToRooms.keySet()
                        : roomToSockets.getOrDefault(options.rooms().iterator().next(), Set.of());
                List<String> ids = new ArrayList<>(members.size());
                for (String id : members) {
                    if (!excluded.contains(id)) {
                        ids.add(id);
                    }
                }
                return ids;
            }
            Set<String> ids = new LinkedHashSet<>();
            for (String room : options.rooms()) {
                ids.addAll(roomToSockets.getOrDefault(room, Set.of()));
            }
            ids.removeAll(excluded);
            return new ArrayList<>(ids);
        }
    }
}
