package dev.switchboard.chat.infrastructure.persistence;

import dev.switchboard.container.SwitchboardStartup;
import jakarta.annotation.Priority;
import jakarta.annotation.Resource;
import jakarta.annotation.sql.DataSourceDefinition;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.interceptor.Interceptor;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.output.MigrateResult;

import javax.sql.DataSource;

/**
 * Defines the chat's datasource and brings its schema up to date with Flyway (db/migration) while the application
 * starts, before any Socket.IO client can connect and before other startup observers run. The datasource's class,
 * URL and credentials are server-level settings (the --systemproperties file of each profile; see STACK-NOTES):
 * H2 in a file by default, PostgreSQL in production. A failed migration fails the deployment. The pool validates
 * connections so that the chat recovers by itself after a database outage (ChatStorageOutageIT).
 */
@ApplicationScoped
@DataSourceDefinition(
        name = SchemaMigrator.DATASOURCE,
        className = "${MPCONFIG=switchboard.db.class}",
        url = "${MPCONFIG=switchboard.db.url}",
        user = "${MPCONFIG=switchboard.db.user}",
        password = "${MPCONFIG=switchboard.db.password}",
        minPoolSize = 1,
        maxPoolSize = 20,
        // Survive a database restart: every borrowed connection is checked (Connection.isValid, on H2 and
        // PostgreSQL alike) and, when one is dead, the whole pool is emptied, so the first request after the
        // database is back gets a fresh connection instead of STORAGE_UNAVAILABLE. Not waiting the default 60 s
        // for a connection keeps an outage's refusals fast.
        properties = {
                "fish.payara.is-connection-validation-required=true",
                "fish.payara.connection-validation-method=custom-validation",
                "fish.payara.validation-classname=org.glassfish.api.jdbc.validation.JDBC40ConnectionValidation",
                "fish.payara.fail-all-connections=true",
                "fish.payara.max-wait-time-in-millis=10000"
        })
public class SchemaMigrator {
    public static final String DATASOURCE = "java:app/jdbc/switchboard";
    private static final System.Logger LOG = System.getLogger(SchemaMigrator.class.getName());

    @Resource(lookup = DATASOURCE)
    DataSource dataSource;

    void migrate(@Observes @Priority(Interceptor.Priority.PLATFORM_BEFORE) SwitchboardStartup startup) {
        MigrateResult result = Flyway.configure(SchemaMigrator.class.getClassLoader())
                .dataSource(dataSource)
                .locations("classpath:db/migration")
                .failOnMissingLocations(true)
                .load()
                .migrate();
        LOG.log(System.Logger.Level.INFO, "chat schema at version {0} ({1} migrations applied, {2})",
                result.targetSchemaVersion == null ? result.initialSchemaVersion : result.targetSchemaVersion,
                result.migrationsExecuted, result.database);
    }
}
