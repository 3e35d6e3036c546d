package dev.switchboard.it.chat;

import dev.switchboard.it.Deployments;
import dev.switchboard.it.NodeProcess;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The local PostgreSQL is stopped for a few seconds under a running chat (node/chat/outage.test.mjs, the real npm
 * socket.io-client plus REST): refusals are STORAGE_UNAVAILABLE (error event, ack error, 503 problem JSON), nothing
 * is broadcast or half-stored, and the chat resumes on the same sockets once the database is back. Runs as root on a
 * machine where {@code pg_ctlcluster} manages the cluster; the node script restarts PostgreSQL in a finally, and
 * {@link #databaseIsUpAgain()} makes sure of it even if node was killed. Meanwhile /health/ready is probed: it goes
 * 503 with chat-database DOWN during the outage and 200 again after (liveness stays 200 throughout).
 */
@EnabledIfSystemProperty(named = "switchboard.itProperties", matches = ".*chat-postgres\\.properties",
        disabledReason = "stops and starts the local PostgreSQL: only in failsafe's chat-postgres execution")
@ExtendWith(ArquillianExtension.class)
class ChatStorageOutageIT {
    private static final long TIMEOUT_SECONDS = 120;

    @Deployment(testable = false)
    static WebArchive war() {
        return Deployments.builtWar();
    }

    @ArquillianResource
    URL base;

    @Test
    void databaseOutageIsRefusedCleanlyAndTheChatResumes() throws Exception {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        List<String> readiness = new CopyOnWriteArrayList<>();
        List<Integer> liveness = new CopyOnWriteArrayList<>();
        Thread probe = Thread.ofVirtual().start(() -> {
            while (!Thread.currentThread().isInterrupted()) {
                try {
                    HttpResponse<String> ready = get(http, "health/ready");
                    readiness.add(ready.statusCode() + " " + ready.body());
                    liveness.add(get(http, "health/live").statusCode());
                    Thread.sleep(200);
                } catch (InterruptedException e) {
                    return;
                } catch (IOException e) {
                    readiness.add("error " + e);
                }
            }
        });
        NodeProcess.Result r;
        try {
            r = NodeProcess.run(NodeProcess.clientsDir(),
                    Map.of("SWITCHBOARD_URL", base.toString(), "SWITCHBOARD_ALLOW_DB_STOP", "1"), TIMEOUT_SECONDS,
                    "--test", "--test-reporter=spec", "chat/outage.test.mjs");
        } finally {
            probe.interrupt();
            probe.join(10_000);
        }
        String text = r.output();
        assertThat(r.finished()).as("node finished within %d s", TIMEOUT_SECONDS).isTrue();
        assertThat(r.exitCode()).as("node exit code; output:%n%s", text).isZero();
        assertThat(text).as("the scenario ran (not skipped)").contains("database outage lasted");

        assertThat(readiness).as("readiness went DOWN with the database").anyMatch(s -> s.startsWith("503 ")
                && s.contains("\"name\":\"chat-database\",\"status\":\"DOWN\""));
        assertThat(liveness).as("liveness does not depend on the database").isNotEmpty().allMatch(code -> code == 200);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        HttpResponse<String> ready = get(http, "health/ready");
        while (ready.statusCode() != 200 && System.nanoTime() < deadline) {
            Thread.sleep(250);
            ready = get(http, "health/ready");
        }
        assertThat(ready.statusCode()).as("readiness UP again after the outage: %s", ready.body()).isEqualTo(200);
    }

    private HttpResponse<String> get(HttpClient http, String path) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create(base.toString().replaceAll("/+$", "") + "/" + path))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** Whatever happened above, PostgreSQL answers again before the next test class (or the next build) runs. */
    @AfterAll
    static void databaseIsUpAgain() throws Exception {
        if (run("pg_isready", "-h", "127.0.0.1", "-q") == 0) {
            return;
        }
        String[] versions = new File("/etc/postgresql").list();
        if (versions != null && versions.length > 0) {
            run("pg_ctlcluster", "--skip-systemctl-redirect", versions[0], "main", "start");
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (run("pg_isready", "-h", "127.0.0.1", "-q") != 0) {
            assertThat(System.nanoTime()).as("PostgreSQL ready again within 30 s").isLessThan(deadline);
            Thread.sleep(200);
        }
    }

    private static int run(String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .start();
        if (!p.waitFor(30, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            return -1;
        }
        return p.exitValue();
    }

}
