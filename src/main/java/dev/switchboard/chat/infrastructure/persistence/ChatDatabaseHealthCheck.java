package dev.switchboard.chat.infrastructure.persistence;

import jakarta.annotation.Resource;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.SQLException;

/**
 * Readiness of the chat's database: borrows a connection from the chat datasource and validates it (a cheap
 * round trip on H2 and PostgreSQL). DOWN while the database is unreachable; the pool recovers by itself after.
 */
@Readiness
@ApplicationScoped
public class ChatDatabaseHealthCheck implements HealthCheck {
    static final int VALIDATION_TIMEOUT_SECONDS = 2;

    @Resource(lookup = SchemaMigrator.DATASOURCE)
    DataSource dataSource;

    @Override
    public HealthCheckResponse call() {
        long start = System.nanoTime();
        try (Connection c = dataSource.getConnection()) {
            boolean valid = c.isValid(VALIDATION_TIMEOUT_SECONDS);
            return HealthCheckResponse.named("chat-database").status(valid)
                    .withData("latency_ms", (System.nanoTime() - start) / 1_000_000).build();
        } catch (SQLException | RuntimeException e) {
            // The exception class only: driver messages can carry URLs and user names.
            return HealthCheckResponse.named("chat-database").down()
                    .withData("error", e.getClass().getSimpleName()).build();
        }
    }
}
