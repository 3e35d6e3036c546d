package dev.switchboard.it.chat;

import dev.switchboard.it.Deployments;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The chat over the real npm socket.io-client against the deployed WAR (default profile, H2, the development token
 * issuer, the default rate limit of 5 per second). Each test runs one node test file of arquillian-tests/node/chat
 * with node's built-in runner and asserts that it passed; the node output is printed.
 */
@EnabledIfSystemProperty(named = "switchboard.itProperties", matches = ".*chat\\.properties",
        disabledReason = "needs the chat server configuration (failsafe's chat execution); -Dit.test also selects "
                + "this class in the protocol execution, whose interop profile has no chat gateway")
@ExtendWith(ArquillianExtension.class)
class ChatRealtimeIT {
    private static final long TIMEOUT_SECONDS = 120;

    @Deployment(testable = false)
    static WebArchive war() {
        return Deployments.builtWar();
    }

    @ArquillianResource
    URL base;

    @Test
    void authenticationRefusalsAndExpiry() throws Exception {
        runNode("chat/auth.test.mjs");
    }

    @Test
    void messagesHistoryDedupRateLimitAndValidation() throws Exception {
        runNode("chat/messages.test.mjs");
    }

    @Test
    void presenceWithSeveralTabs() throws Exception {
        runNode("chat/presence.test.mjs");
    }

    @Test
    void restReachesTheSockets() throws Exception {
        runNode("chat/rest.test.mjs");
    }

    private void runNode(String file) throws IOException, InterruptedException {
        File dir = new File(System.getProperty("switchboard.basedir", "."), "arquillian-tests/node");
        ProcessBuilder pb = new ProcessBuilder("node", "--test", "--test-reporter=spec", file)
                .directory(dir).redirectErrorStream(true);
        pb.environment().put("SWITCHBOARD_URL", base.toString());
        pb.environment().put("NO_COLOR", "1");
        Process node = pb.start();
        ByteArrayOutputStream output = new ByteArrayOutputStream();
        Thread pump = Thread.ofVirtual().start(() -> copy(node.getInputStream(), output));
        boolean finished = node.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        if (!finished) {
            node.descendants().forEach(ProcessHandle::destroyForcibly);
            node.destroyForcibly();
            node.waitFor(10, TimeUnit.SECONDS);
        }
        pump.join(5_000);
        String text = output.toString(StandardCharsets.UTF_8);
        System.out.println("---- node --test " + file + " ----\n" + text);
        assertThat(finished).as("node --test %s finished within %d s", file, TIMEOUT_SECONDS).isTrue();
        assertThat(node.exitValue()).as("node --test %s exit code; output:%n%s", file, text).isZero();
    }

    private static void copy(InputStream in, ByteArrayOutputStream out) {
        try (in) {
            in.transferTo(out);
        } catch (IOException ignored) {
            // the process was killed
        }
    }
}
