package dev.switchboard.architecture;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

/** Keeps the layers pointing one way: engineio <- socketio <- adapter contract; only container/chat touch Jakarta EE. */
class LayerDependencyTest {
    private static final JavaClasses CLASSES = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("dev.switchboard");

    private static final String[] CONTAINER_APIS = {"jakarta..", "javax..", "org.eclipse.microprofile..",
            "fish.payara..", "org.glassfish..", "redis.clients..", "org.hibernate.."};

    @Test
    void theCoreKnowsNoContainerAndNoChat() {
        noClasses().that().resideInAnyPackage("dev.switchboard.engineio..", "dev.switchboard.socketio..",
                        "dev.switchboard.adapter..")
                .and().resideOutsideOfPackage("dev.switchboard.adapter.redis..")
                .should().dependOnClassesThat().resideInAnyPackage(CONTAINER_APIS)
                .orShould().dependOnClassesThat().resideInAnyPackage("dev.switchboard.container..",
                        "dev.switchboard.chat..", "dev.switchboard.conformance..")
                .check(CLASSES);
    }

    /**
     * The Redis adapter may use Jedis (and nothing else of the container's world); besides it only the chat's Redis
     * state (cluster-wide dedup and rate limits, chat.infrastructure.redis) uses Jedis.
     */
    @Test
    void onlyTheRedisAdapterKnowsRedis() {
        noClasses().that().resideInAPackage("dev.switchboard.adapter.redis..")
                .should().dependOnClassesThat().resideInAnyPackage("jakarta..", "javax..", "org.eclipse.microprofile..",
                        "fish.payara..", "org.glassfish..", "org.hibernate..")
                .orShould().dependOnClassesThat().resideInAnyPackage("dev.switchboard.container..",
                        "dev.switchboard.chat..", "dev.switchboard.socketio", "dev.switchboard.socketio.broadcast..")
                .check(CLASSES);
        noClasses().that().resideOutsideOfPackages("dev.switchboard.adapter.redis..",
                        "dev.switchboard.chat.infrastructure.redis..")
                .should().dependOnClassesThat().resideInAPackage("redis.clients..")
                .check(CLASSES);
    }

    @Test
    void engineIoKnowsNothingAboveIt() {
        noClasses().that().resideInAPackage("dev.switchboard.engineio..")
                .should().dependOnClassesThat().resideInAnyPackage("dev.switchboard.socketio..",
                        "dev.switchboard.adapter..")
                .check(CLASSES);
    }

    @Test
    void theAdapterSeesOnlyThePacketsOfTheSocketIoLayer() {
        noClasses().that().resideInAPackage("dev.switchboard.adapter..")
                .should().dependOnClassesThat().resideInAPackage("dev.switchboard.socketio")
                .orShould().dependOnClassesThat().resideInAPackage("dev.switchboard.socketio.broadcast..")
                .orShould().dependOnClassesThat().resideInAPackage("dev.switchboard.engineio..")
                .check(CLASSES);
    }

    @Test
    void theSocketIoParserStandsAlone() {
        noClasses().that().resideInAPackage("dev.switchboard.socketio.parser..")
                .should().dependOnClassesThat().resideInAnyPackage("dev.switchboard.socketio",
                        "dev.switchboard.socketio.broadcast..", "dev.switchboard.adapter..", "dev.switchboard.engineio..")
                .check(CLASSES);
    }
}
