package dev.switchboard.container;

import dev.switchboard.adapter.redis.RedisConnection;
import dev.switchboard.engineio.EngineServer;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Liveness;
import org.eclipse.microprofile.health.Readiness;

import java.time.Instant;
import java.util.Optional;

/**
 * The node's own health: live while the JVM serves requests; ready while the Socket.IO endpoint is mounted and the
 * node is not draining (a draining node goes DOWN before it refuses handshakes, so a load balancer stops sending
 * new clients first). With the Redis adapter, readiness also needs the Redis subscriber connected: a node cut off
 * from the cluster serves its own clients (liveness stays UP, nothing restarts it) but should get no new ones. The
 * chat adds its database check beside these.
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
            int sessions = runtime.engines().stream().mapToInt(EngineServer::openSessionCount).sum();
            return HealthCheckResponse.named("switchboard-engine").status(runtime.isServing())
                    .withData("draining", runtime.isDraining())
                    .withData("sessions", sessions)
                    .build();
        };
    }

    @Produces
    @Readiness
    HealthCheck redis() {
        return () -> {
            AdapterSelection adapters = runtime.adapters();
            Optional<RedisConnection> redis = adapters == null ? Optional.empty() : adapters.redis();
            if (redis.isEmpty()) {
                return HealthCheckResponse.named("switchboard-redis").up().withData("adapter", "memory").build();
            }
            RedisConnection c = redis.get();
            var response = HealthCheckResponse.named("switchboard-redis").status(c.isConnected())
                    .withData("adapter", "redis")
                    .withData("reconnects", c.reconnects());
            if (!c.isConnected()) {
                response.withData("down_since", Instant.ofEpochMilli(c.disconnectedSince()).toString());
                String error = c.lastError();
                if (error != null) {
                    response.withData("error", error);
                }
            }
            return response.build();
        };
    }
}
