package dev.switchboard.container;

import dev.switchboard.engineio.Clock;
import dev.switchboard.engineio.EngineConnectionHandler;
import dev.switchboard.engineio.Scheduler;
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
    private final Scheduler scheduler;
    private final Clock clock;
    private final Map<String, EngineConnectionHandler> extraEndpoints = new LinkedHashMap<>();

    SwitchboardStartup(SwitchboardSettings settings, SocketIoServer socketIo, Scheduler scheduler, Clock clock) {
        this.settings = settings;
        this.socketIo = socketIo;
        this.scheduler = scheduler;
        this.clock = clock;
    }

    /** The managed scheduler the servers use; applications schedule their per-connection timers on it. */
    public Scheduler scheduler() {
        return scheduler;
    }

    public Clock clock() {
        return clock;
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
