package dev.switchboard.socketio;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.engineio.CloseReason;
import dev.switchboard.engineio.EngineSocket;
import dev.switchboard.engineio.EngineSocketListener;
import dev.switchboard.engineio.Scheduler;
import dev.switchboard.socketio.parser.EncodedSioPacket;
import dev.switchboard.socketio.parser.SioDecoder;
import dev.switchboard.socketio.parser.SioJson;
import dev.switchboard.socketio.parser.SioPacket;
import dev.switchboard.socketio.parser.SioParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * One Engine.IO connection as Socket.IO sees it: decodes its messages, routes packets to the socket of each
 * namespace (multiplexing), closes the connection when no namespace is joined within the connect timeout, and
 * disconnects every socket when the connection ends.
 */
final class Client implements EngineSocketListener {

    private static final Logger LOG = Logger.getLogger(Client.class.getName());

    private final SocketIoServer server;
    private final EngineSocket engine;
    private final SioDecoder decoder;
    private final Map<String, Socket> socketsByNamespace = new HashMap<>();
    private Scheduler.Cancellable connectTimer = Scheduler.Cancellable.NONE;
    private boolean closed;

    Client(SocketIoServer server, EngineSocket engine) {
        this.server = server;
        this.engine = engine;
        this.decoder = new SioDecoder(server.options().decoderLimits());
    }

    void start() {
        engine.setListener(this);
        Scheduler.Cancellable timer = server.scheduler().schedule(this::onConnectTimeout,
                server.options().connectTimeoutMillis());
        synchronized (this) {
            if (closed || !socketsByNamespace.isEmpty()) {
                timer.cancel();
            } else {
                connectTimer = timer;
            }
        }
    }

    EngineSocket engineSocket() {
        return engine;
    }

    @Override
    public void onText(String text) {
        try {
            handle(decoder.decodeText(text));
        } catch (SioParseException e) {
            onParseError(e);
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, e, () -> "unexpected failure handling a packet of " + engine.id());
        }
    }

    @Override
    public void onBinary(byte[] data) {
        try {
            handle(decoder.decodeBinary(data));
        } catch (SioParseException e) {
            onParseError(e);
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, e, () -> "unexpected failure handling an attachment of " + engine.id());
        }
    }

    @Override
    public void onClose(CloseReason reason) {
        closeWith(DisconnectReason.of(reason));
    }

    private void handle(Optional<SioPacket> decoded) {
        if (decoded.isEmpty()) {
            return; // waiting for binary attachments
        }
        SioPacket packet = decoded.get();
        Socket socket;
        synchronized (this) {
            if (closed) {
                return;
            }
            socket = socketsByNamespace.get(packet.namespace());
        }
        LOG.log(Level.FINEST, "{0} got {1} for {2}", new Object[] {engine.id(), packet.type(), packet.namespace()});
        switch (packet.type()) {
            case CONNECT -> {
                if (socket != null) {
                    LOG.log(Level.FINE, "{0}: second CONNECT to {1}, closing", new Object[] {engine.id(),
                            packet.namespace()});
                    forceClose();
                } else {
                    server.connect(this, packet.namespace(), authOf(packet.data()));
                }
            }
            case CONNECT_ERROR -> {
                LOG.log(Level.FINE, "{0}: CONNECT_ERROR from a client, closing", engine.id());
                forceClose();
            }
            default -> {
                if (socket == null) {
                    LOG.log(Level.FINE, "{0}: {1} for unconnected namespace {2} ignored",
                            new Object[] {engine.id(), packet.type(), packet.namespace()});
                } else {
                    socket.onPacket(packet);
                }
            }
        }
    }

    private static JsonNode authOf(JsonNode data) {
        if (data instanceof ObjectNode) {
            return data;
        }
        return SioJson.mapper().createObjectNode();
    }

    private void onParseError(SioParseException e) {
        LOG.log(Level.FINE, "{0}: invalid packet ({1}), closing", new Object[] {engine.id(), e.getMessage()});
        server.metrics().error("parse_error");
        closeWith(DisconnectReason.PARSE_ERROR);
        engine.close(CloseReason.PARSE_ERROR);
    }

    private void onConnectTimeout() {
        synchronized (this) {
            if (closed || !socketsByNamespace.isEmpty()) {
                return;
            }
        }
        LOG.log(Level.FINE, "{0}: no namespace joined in time, closing", engine.id());
        forceClose();
    }

    private void forceClose() {
        closeWith(DisconnectReason.FORCED_CLOSE);
        engine.close();
    }

    /** Registers a connected socket; false when the connection closed or the namespace is taken. */
    boolean attach(Socket socket) {
        synchronized (this) {
            String nsp = socket.namespace().name();
            if (closed || socketsByNamespace.containsKey(nsp)) {
                return false;
            }
            socketsByNamespace.put(nsp, socket);
            connectTimer.cancel();
            connectTimer = Scheduler.Cancellable.NONE;
            return true;
        }
    }

    synchronized void remove(Socket socket) {
        socketsByNamespace.remove(socket.namespace().name(), socket);
    }

    synchronized boolean isOpen() {
        return !closed && engine.isOpen();
    }

    boolean write(SioPacket packet, boolean isVolatile) {
        return writeEncoded(server.encoder().encode(packet), isVolatile);
    }

    /** Writes a packet's frames; the attachments go in the same unit as their header so nothing comes between. */
    boolean writeEncoded(EncodedSioPacket encoded, boolean isVolatile) {
        if (!engine.isOpen()) {
            return false;
        }
        // The engine decides, under its own lock, whether the client is behind: volatile packets are dropped
        // then, and anything else over the send-queue bound closes the connection as a slow consumer.
        boolean sent;
        if (encoded.attachments().isEmpty()) {
            sent = engine.send(encoded.text(), isVolatile);
        } else {
            List<Object> frames = new ArrayList<>(1 + encoded.attachments().size());
            frames.add(encoded.text());
            frames.addAll(encoded.attachments());
            sent = engine.sendAll(frames, isVolatile);
        }
        if (sent && LOG.isLoggable(Level.FINEST)) {
            // the packet type digit and sizes only: payloads stay out of the logs even at the finest level
            String text = encoded.text();
            LOG.log(Level.FINEST, "{0} sent type {1} ({2} chars, {3} attachments)", new Object[] {engine.id(),
                    text.isEmpty() ? "?" : String.valueOf(text.charAt(0)), text.length(), encoded.attachments().size()});
        }
        if (!sent && isVolatile && engine.isOpen()) {
            // counted once, by the engine (engineio_packets_dropped_total{reason="volatile"})
            LOG.log(Level.FINEST, "{0}: volatile packet dropped, transport busy", engine.id());
        }
        return sent;
    }

    /** socket.disconnect(true): every namespace gets a DISCONNECT, then the connection closes. */
    void disconnectAll() {
        for (Socket socket : snapshot()) {
            socket.disconnect(false);
        }
        forceClose();
    }

    /** Server shutdown: sockets disconnect with "server shutting down", then the connection closes. */
    void shutdown() {
        closeWith(DisconnectReason.SERVER_SHUTTING_DOWN);
        engine.close(CloseReason.SERVER_SHUTDOWN);
    }

    private synchronized List<Socket> snapshot() {
        return new ArrayList<>(socketsByNamespace.values());
    }

    /** Ends the client once: timer cancelled, every socket disconnected with the reason. */
    private void closeWith(DisconnectReason reason) {
        List<Socket> sockets;
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            connectTimer.cancel();
            connectTimer = Scheduler.Cancellable.NONE;
            sockets = new ArrayList<>(socketsByNamespace.values());
        }
        LOG.log(Level.FINE, "{0} closed: {1}", new Object[] {engine.id(), reason});
        for (Socket socket : sockets) {
            SocketListeners.guard("disconnect of " + socket, () -> socket.onClose(reason));
        }
        synchronized (this) {
            socketsByNamespace.clear();
        }
        server.removeClient(this);
    }
}
