package dev.switchboard.it.chat;

import dev.switchboard.it.PayaraNodes;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A wrong configuration value stops the deployment at start-up with a message naming the key and the value, instead
 * of a node that looks ready and fails the first request that reads the key. The chat's REST rate-limit window is the
 * example: before, it was read only by the first REST call. Plain JUnit: it starts its own Payara Micro (ports
 * 3880-3899), which is expected not to deploy the application, and waits for Payara to report ready.
 */
@EnabledIfSystemProperty(named = "switchboard.itProperties", matches = ".*chat\\.properties",
        disabledReason = "runs in failsafe's chat execution (its properties are the base of this server's)")
class BadConfigIT {
    private static final String BAD_KEY = "switchboard.chat.rest-rate-limit.window-ms";
    @AutoClose // stops the node after the tests
    private static PayaraNodes node;

    @Test
    void aBadValueFailsTheDeploymentNamingTheKey() throws Exception {
        Path workDir = PayaraNodes.workDir("bad-config-");
        Path properties = PayaraNodes.properties(workDir, "bad.properties",
                "# BadConfigIT: an in-memory database of its own, and one wrong value\n"
                + "switchboard.db.url=jdbc:h2:mem:badconfig;DB_CLOSE_DELAY=-1\n"
                + BAD_KEY + "=0\n");
        node = PayaraNodes.launchOne(workDir, properties, 3880, 3899, PayaraNodes.defaultJvmOptions());

        String log = awaitLog(node.log(0), "Payara Micro", "ready in", Duration.ofSeconds(
                Long.getLong("payara.nodes.boot-seconds", 300)));
        assertThat(log).as("the reason, naming the key and the value")
                .contains(BAD_KEY + ": expected a whole number from 1 to 3600000, got 0");
        assertThat(log).contains("Exception while loading the app");

        // The node does not pretend to serve: no handshake, no readiness (Payara answers 500 for the failed context).
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5)).build();
        assertThat(status(http, node.url(0) + "/socket.io/?EIO=4&transport=polling")).isNotEqualTo(200);
        assertThat(status(http, node.url(0) + "/health/ready")).isNotEqualTo(200);
        assertThat(node.isAlive(0)).isTrue();
    }

    private static int status(HttpClient http, String url) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    /** Waits until one line of the log holds both marks; returns the whole log. */
    private static String awaitLog(Path log, String mark, String mark2, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            String text = Files.exists(log) ? Files.readString(log, StandardCharsets.UTF_8) : "";
            if (text.lines().anyMatch(l -> l.contains(mark) && l.contains(mark2))) {
                return text;
            }
            assertThat(node.isAlive(0)).as("Payara Micro still running; log:%n%s", text).isTrue();
            assertThat(System.nanoTime()).as("Payara Micro ready within %s; log:%n%s", timeout, text)
                    .isLessThan(deadline);
            TimeUnit.SECONDS.sleep(1);
        }
    }
}
