package dev.switchboard.container;

import dev.switchboard.engineio.EngineServer;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Liveness;
import org.eclipse.microprofile.health.Readiness;

/**
 * The node's own health: live while the JVM serves requests; ready while the Socket.IO endpoint is mounted and the
 * node is not draining (a draining node goes DOWN before it refuses handshakes, so a load balancer stops sending
 * new clients first). The chat adds its database check beside these.
 */
@ApplicationScoped
public class EngineHealthChecks {
    @Inject
    SwitchboardRuntime runtime;

    @Produces
    @Liveness
    HealthCheck live() {
        return () -> HealthCheckResponse.named("switchboard-live").up()
                .withData("uptime_ms", java.lang.management.ManagementFactory.getRuntimeMXBean().getUptime())
                .build();
    }

    @Produces
    @Readiness
    HealthCheck ready() {
        return () -> {
            int sessions = runtime.engines().stream().mapToInt(EngineServer::sessionCount).sum();
            return HealthCheckResponse.named("switchboard-engine").status(runtime.isServing())
                    .withData("draining", runtime.isDraining())
                    .withData("sessions", sessions)
                    .build();
        };
    }
}
