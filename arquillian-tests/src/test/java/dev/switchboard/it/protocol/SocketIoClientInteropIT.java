package dev.switchboard.it.protocol;

import dev.switchboard.it.Deployments;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The real socket.io-client 4.x from npm (Node 20, arquillian-tests/node) against the deployed WAR: the node test
 * files in arquillian-tests/node/interop (run with {@code node --test}) cover events, acknowledgements both ways
 * with timeouts, binary, rooms, broadcast except the sender, namespaces with auth and a refusing middleware,
 * dynamic namespaces, volatile, broadcast acknowledgements and connection state recovery. The server side is
 * {@code dev.switchboard.testapp.InteropApplication} (profile "interop"). One test per transport mode, each running
 * every file in that mode only (SWITCHBOARD_MODES), so a failure names its mode; node's spec report is printed.
 * <p>By hand: start the server (see the README), then
 * {@code SWITCHBOARD_URL=http://127.0.0.1:3100 node --test --test-reporter=spec interop/*.test.mjs}.
 */
@EnabledIfSystemProperty(named = "switchboard.itProperties", matches = ".*interop\\.properties",
        disabledReason = "needs the interop test application (failsafe's protocol execution); -Dit.test selects this "
                + "class in every execution")
@ExtendWith(ArquillianExtension.class)
class SocketIoClientInteropIT {
    private static final long HARD_TIMEOUT_MINUTES = 5;

    @Deployment(testable = false)
    static WebArchive war() {
        return Deployments.builtWar();
    }

    @ArquillianResource
    URL base;

    @Test
    void websocketOnly() throws Exception {
        runNodeTests("websocket");
    }

    @Test
    void pollingOnly() throws Exception {
        runNodeTests("polling");
    }

    @Test
    void pollingUpgradedToWebSocket() throws Exception {
        runNodeTests("upgrade");
    }

    private void runNodeTests(String mode) throws Exception {
        // Only the protocol run deploys with interop.properties (the "interop" profile with the test application);
        // -Dit.test=SocketIoClientInteropIT also selects this class in the other failsafe runs.
        assumeTrue(System.getProperty("switchboard.itProperties", "").endsWith("interop.properties"),
                "needs the interop profile");
        Path dir = Path.of(System.getProperty("switchboard.basedir", "."), "arquillian-tests", "node");
        assertThat(dir.resolve("node_modules/socket.io-client")).as("npm ci in %s", dir).isDirectory();
        List<String> command = new ArrayList<>(List.of(System.getProperty("switchboard.node", "node"),
                "--test", "--test-reporter=spec"));
        command.addAll(testFiles(dir));

        ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true);
        builder.environment().put("SWITCHBOARD_URL", base.toString().replaceAll("/+$", ""));
        builder.environment().put("SWITCHBOARD_MODES", mode);
        builder.environment().put("NO_COLOR", "1");
        System.out.printf("[%s] %s (SWITCHBOARD_URL=%s)%n", mode, String.join(" ", command),
                builder.environment().get("SWITCHBOARD_URL"));

        Process node = builder.start();
        StringBuilder output = new StringBuilder();
        Thread reader = Thread.ofVirtual().start(() -> copy(node.getInputStream(), output, mode));
        boolean finished = node.waitFor(HARD_TIMEOUT_MINUTES, TimeUnit.MINUTES);
        if (!finished) {
            node.descendants().forEach(ProcessHandle::destroyForcibly);
            node.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
        reader.join(TimeUnit.SECONDS.toMillis(10));

        String report;
        synchronized (output) {
            report = output.toString();
        }
        assertThat(finished).as("node --test (%s) finished within %d minutes; output:%n%s", mode,
                HARD_TIMEOUT_MINUTES, report).isTrue();
        assertThat(node.exitValue()).as("node --test (%s) exit code; failures:%n%s", mode, failures(report))
                .isZero();
        assertThat(report).as("node ran tests (%s)", mode).containsPattern("(?m)^ℹ pass [1-9]");
    }

    private static List<String> testFiles(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir.resolve("interop"))) {
            List<String> names = files.map(f -> dir.relativize(f).toString())
                    .filter(n -> n.endsWith(".test.mjs")).sorted().toList();
            assertThat(names).as("node test files in %s/interop", dir).isNotEmpty();
            return names;
        }
    }

    /** Prints node's output as it comes (prefixed with the mode) and keeps it for the assertion messages. */
    private static void copy(InputStream in, StringBuilder sink, String mode) {
        try (var lines = new java.io.BufferedReader(new java.io.InputStreamReader(in, StandardCharsets.UTF_8))) {
            String line;
            while ((line = lines.readLine()) != null) {
                System.out.println("[node " + mode + "] " + line);
                synchronized (sink) {
                    sink.append(line).append('\n');
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** node's own summary of the failures (the part after "failing tests:"), or the whole output. */
    private static String failures(String report) {
        int at = report.indexOf("failing tests:");
        return at < 0 ? report : report.substring(at);
    }
}
