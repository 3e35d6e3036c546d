package dev.switchboard.container;

import dev.switchboard.engineio.EngineConnectionHandler;
import dev.switchboard.socketio.SocketIoServer;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * CDI event fired once while the application starts, before any client can connect: applications register their
 * Socket.IO handlers here, and may mount extra bare Engine.IO endpoints (the conformance profile's echo).
 */
public final class SwitchboardStartup {
    private final SwitchboardSettings settings;
    private final SocketIoServer socketIo;
    private final Map<String, EngineConnectionHandler> extraEndpoints = new LinkedHashMap<>();

    SwitchboardStartup(SwitchboardSettings settings, SocketIoServer socketIo) {
        this.settings = settings;
        this.socketIo = socketIo;
    }

    public SwitchboardSettings settings() {
        return settings;
    }

    public String profile() {
        return settings.profile();
    }

    public SocketIoServer socketIo() {
        return socketIo;
    }

    /** Serves a bare Engine.IO endpoint at the path (e.g. "/engine.io/") with the same engine settings. */
    public void mountEngine(String path, EngineConnectionHandler handler) {
        extraEndpoints.put(path, handler);
    }

    Map<String, EngineConnectionHandler> extraEndpoints() {
        return extraEndpoints;
    }
}
