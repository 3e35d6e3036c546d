package dev.switchboard.chat.infrastructure.realtime;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.switchboard.chat.application.ChatErrorCode;
import dev.switchboard.chat.application.ChatException;
import dev.switchboard.chat.application.ChatService;
import dev.switchboard.chat.application.RateLimits;
import dev.switchboard.chat.security.ChatPrincipal;
import dev.switchboard.chat.security.ChatSecurity;
import dev.switchboard.chat.security.TokenVerifier;
import dev.switchboard.container.SwitchboardStartup;
import dev.switchboard.engineio.Clock;
import dev.switchboard.engineio.Scheduler;
import dev.switchboard.socketio.MiddlewareError;
import dev.switchboard.socketio.Namespace;
import dev.switchboard.socketio.Socket;
import jakarta.annotation.PreDestroy;
import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedThreadFactory;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.ConfigProvider;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The chat on the Socket.IO server's main namespace: authenticates each connection by its JWT (CONNECT auth
 * {token} or an {@code Authorization: Bearer} header), disconnects it when the token expires, joins the user's
 * rooms with presence ({@code user_joined}/{@code user_left} once per user, however many tabs on however many
 * nodes: {@link Presence}), and registers the chat events ({@link ChatEventHandlers}). Off in the profiles that
 * run test applications on "/".
 */
@ApplicationScoped
public class ChatGateway {
    public static final Set<String> INACTIVE_PROFILES = Set.of("conformance", "interop", "bench");
    public static final String USER_JOINED = "user_joined";
    public static final String USER_LEFT = "user_left";
    public static final String ERROR = "error";
    public static final String SYSTEM_USER = "system";
    private static final Logger LOG = Logger.getLogger(ChatGateway.class.getName());
    private static final long PRESENCE_WAIT_SECONDS = 15;

    @Inject
    Instance<ChatService> chatServices;

    @Inject
    ChatSecurity security;

    @Inject
    SocketIoRealtimePublisher publisher;

    @Inject
    dev.switchboard.chat.infrastructure.ChatMetrics metrics;

    @Inject
    RateLimits userLimits;

    @Inject
    dev.switchboard.chat.infrastructure.ChatSettings chatSettings;

    @Resource(lookup = "java:comp/DefaultManagedThreadFactory")
    ManagedThreadFactory threads;

    /** Runs the sockets' {@link SocketWork}: container threads (JPA and transactions work there), never the I/O's. */
    private ThreadPoolExecutor handlerPool;

    /** Strictly increasing per node, so that two sockets of one node never enter a room at the same instant. */
    private final AtomicLong lastStamp = new AtomicLong();
    private volatile Namespace namespace;
    private ChatService chat;
    private RealtimeSettings settings;
    private TokenVerifier verifier;
    private Scheduler scheduler;
    private Clock clock;

    void onStart(@Observes SwitchboardStartup startup) {
        if (INACTIVE_PROFILES.contains(startup.profile())) {
            return;
        }
        if (!chatServices.isResolvable()) {
            LOG.log(Level.SEVERE, "chat gateway not started: no ChatService implementation is deployed");
            return;
        }
        chatSettings.validate();
        Config config = ConfigProvider.getConfig();
        settings = RealtimeSettings.from(key -> config.getOptionalValue(key, String.class));
        chat = chatServices.get();
        verifier = security.verifier();
        scheduler = startup.scheduler();
        clock = startup.clock();
        handlerPool = new ThreadPoolExecutor(settings.handlerThreads(), settings.handlerThreads(), 0, TimeUnit.SECONDS,
                new LinkedBlockingQueue<>(), threads); // at most one task per socket waits here (SocketWork)
        // Payara's ManagedThreadFactory gives a thread the context of the thread that asks for it (JPA and transactions
        // need it): all are started here, on the deploying thread, and kept; never on a selector thread, which has none.
        handlerPool.prestartAllCoreThreads();
        ensureDefaultRooms();
        Namespace ns = startup.socketIo().of("/");
        ns.use(this::authenticate);
        ns.onConnection(this::onConnect);
        namespace = ns;
        LOG.log(Level.INFO, "chat gateway on \"/\": default rooms {0}, max message length {1,number,#}, rate limit {2,number,#} per {3,number,#} ms",
                new Object[] {settings.defaultRooms(), settings.maxMessageLength(), settings.rateMessages(),
                        settings.rateWindowMillis()});
    }

    @PreDestroy
    void stop() {
        if (handlerPool != null) {
            handlerPool.shutdown();
        }
    }

    /** Creates the default rooms once at startup, so that the first connections do not race to create them. */
    private void ensureDefaultRooms() {
        for (String room : settings.defaultRooms()) {
            try {
                chat.ensureRoom(room, SYSTEM_USER);
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "could not create the default room {0} at startup: {1}",
                        new Object[] {room, e.toString()});
            }
        }
    }

    /** The main namespace, or null while the gateway is not running. */
    public Namespace namespace() {
        return namespace;
    }

    /**
     * User ids with a connected socket in the room, on every node (through fetchSockets). If the cluster cannot
     * answer in time (a node just died and is still counted), this node's own sockets answer.
     */
    public Set<String> presence(String room) {
        Namespace ns = namespace;
        if (ns == null) {
            return Set.of();
        }
        try {
            return Presence.usersIn(Presence.holders(ns.in(room).fetchSockets().get(PRESENCE_WAIT_SECONDS,
                    TimeUnit.SECONDS)), room);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException | RuntimeException e) {
            LOG.log(Level.WARNING, "cluster-wide presence of a room failed ({0}); answering with this node''s sockets",
                    e.toString());
        }
        try {
            return Presence.usersIn(Presence.holders(ns.in(room).local().fetchSockets().get(PRESENCE_WAIT_SECONDS,
                    TimeUnit.SECONDS)), room);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Set.of();
        } catch (ExecutionException | TimeoutException e) {
            return Set.of();
        }
    }

    RateLimits userLimits() {
        return userLimits;
    }

    dev.switchboard.chat.infrastructure.ChatMetrics metrics() {
        return metrics;
    }

    /**
     * Verifies the token, then loads the user's rooms (default rooms joined) and puts the socket in them, all before
     * the CONNECT reply, so that a client may post to its rooms as soon as it is connected.
     */
    private void authenticate(Socket socket, Consumer<MiddlewareError> next) {
        SocketWork work = new SocketWork(handlerPool);
        try {
            work.submit(() -> authenticate(socket, work, next));
        } catch (RejectedExecutionException e) {
            next.accept(refusal("unavailable", ChatErrorCode.STORAGE_UNAVAILABLE));
        }
    }

    /**
     * The middleware's work, as the socket's first task. The chat events are registered before the CONNECT reply
     * goes out: an event the client sends right after it then waits behind this task instead of finding no handler.
     */
    private void authenticate(Socket socket, SocketWork work, Consumer<MiddlewareError> next) {
        ChatPrincipal principal;
        try {
            principal = verifier.verify(tokenOf(socket));
        } catch (ChatException e) {
            LOG.log(Level.FINE, "socket {0} refused: {1}", new Object[] {socket.id(), e.getMessage()});
            next.accept(refusal("unauthorized", e.code()));
            return;
        }
        Set<String> rooms = new LinkedHashSet<>();
        try {
            for (String room : settings.defaultRooms()) {
                chat.join(principal.userId(), room);
            }
            rooms.addAll(chat.roomsOf(principal.userId()));
            rooms.addAll(settings.defaultRooms());
        } catch (RuntimeException e) {
            next.accept(refusal("unavailable", ChatEventHandlers.errorOf(e).code()));
            return;
        }
        ChatSocketSession session = new ChatSocketSession(principal,
                new RateLimiter(settings.rateMessages(), settings.rateWindowMillis()), rooms, stamp());
        socket.data().put(ChatSocketSession.DATA_KEY, session);
        session.work(work);
        socket.join(rooms.toArray(String[]::new));
        socket.join(Presence.userRoom(principal.userId()));
        new ChatEventHandlers(this, chat, publisher, settings, clock, socket, session, work).register();
        next.accept(null);
    }

    private static MiddlewareError refusal(String message, ChatErrorCode code) {
        return new MiddlewareError(message, JsonNodeFactory.instance.objectNode().put("code", code.name()));
    }

    static String tokenOf(Socket socket) {
        JsonNode token = socket.handshake().auth().get("token");
        if (token != null && token.isTextual() && !token.asText().isBlank()) {
            return token.asText();
        }
        String header = socket.handshake().header("authorization");
        if (header != null && header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return header.substring(7).trim();
        }
        return null;
    }

    private void onConnect(Socket socket) {
        if (!(socket.data().get(ChatSocketSession.DATA_KEY) instanceof ChatSocketSession session)) {
            socket.disconnect(false);
            return;
        }
        long delay = session.principal().expiresAt().toEpochMilli() - clock.nowMillis();
        session.expiryTimer(scheduler.schedule(() -> expire(socket), delay));
        SocketWork work = session.work();
        socket.onDisconnect(reason -> {
            try {
                work.submit(() -> onDisconnect(socket, session));
            } catch (RejectedExecutionException e) { // shutting down, or the socket's queue is full
                session.cancelExpiry();
                LOG.log(Level.FINE, "socket {0}: leave announcements skipped ({1})",
                        new Object[] {socket.id(), e.getMessage()});
            }
        });
        announceJoins(socket, session, session.initialRooms());
    }

    /** Joins the socket to the room; announces the user when it is their first socket there, cluster-wide. */
    void enterRoom(Socket socket, ChatSocketSession session, String room) {
        socket.join(room);
        if (session.addRoom(room, stamp())) {
            announceJoins(socket, session, Set.of(room));
        }
    }

    /** Takes the socket out of the room; announces the user's departure when it was their last socket there. */
    void exitRoom(Socket socket, ChatSocketSession session, String room) {
        socket.leave(room);
        if (session.removeRoom(room)) {
            announceLeaves(socket, session, Set.of(room));
        }
    }

    private void onDisconnect(Socket socket, ChatSocketSession session) {
        session.cancelExpiry();
        announceLeaves(socket, session, session.rooms());
    }

    /**
     * Fetches the user's sockets on every node (their per-user room) and sends user_joined for each room this socket
     * entered first. When the cluster cannot answer, announces: a repeated user_joined is better than a missing one.
     */
    private void announceJoins(Socket socket, ChatSocketSession session, Set<String> rooms) {
        String user = session.userId();
        userSockets(user).whenComplete((holders, error) -> {
            Namespace ns = namespace;
            for (String room : rooms) {
                long since = session.since(room);
                if (ns != null && since >= 0 && (error != null
                        || Presence.firstIn(holders, user, socket.id(), room, since))) {
                    ns.to(room).except(socket.id()).emit(USER_JOINED, new ChatPayloads.RoomUser(user, room));
                }
            }
        });
    }

    /** Sends user_left for each room in which no other socket of the user is left on any node. */
    private void announceLeaves(Socket socket, ChatSocketSession session, Set<String> rooms) {
        String user = session.userId();
        userSockets(user).whenComplete((holders, error) -> {
            Namespace ns = namespace;
            for (String room : rooms) {
                if (ns != null && (error != null || Presence.noneLeftIn(holders, user, socket.id(), room))) {
                    ns.to(room).emit(USER_LEFT, new ChatPayloads.RoomUser(user, room));
                }
            }
        });
    }

    private CompletableFuture<List<Presence.Holder>> userSockets(String user) {
        Namespace ns = namespace;
        if (ns == null) {
            return CompletableFuture.completedFuture(List.of());
        }
        CompletableFuture<List<Presence.Holder>> holders;
        try {
            holders = ns.in(Presence.userRoom(user)).fetchSockets().thenApply(Presence::holders);
        } catch (RuntimeException e) {
            holders = CompletableFuture.failedFuture(e);
        }
        return holders.whenComplete((h, error) -> {
            if (error != null) {
                LOG.log(Level.WARNING, "presence: fetching a user''s sockets across the cluster failed ({0}); "
                        + "announcing anyway", error.toString());
            }
        });
    }

    private long stamp() {
        long now = clock.nowMillis();
        return lastStamp.updateAndGet(previous -> Math.max(previous + 1, now));
    }

    private void expire(Socket socket) {
        if (socket.connected()) {
            LOG.log(Level.FINE, "socket {0}: token expired, disconnecting", socket.id());
            socket.emit(ERROR, new ChatPayloads.Error(ChatErrorCode.TOKEN_EXPIRED, "token expired"));
            socket.disconnect(false);
        }
    }
}
