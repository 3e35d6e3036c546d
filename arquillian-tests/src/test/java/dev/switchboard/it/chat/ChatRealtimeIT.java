package dev.switchboard.it.chat;

import dev.switchboard.it.Deployments;
import dev.switchboard.it.NodeProcess;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.IOException;
import java.net.URL;
import java.util.Map;

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

    /** Also the per-user REST rate limits (default 10 writes per second) and REST presence. */
    @Test
    void restReachesTheSocketsAndIsRateLimited() throws Exception {
        runNode("chat/rest.test.mjs");
    }

    private void runNode(String file) throws IOException, InterruptedException {
        NodeProcess.Result r = NodeProcess.run(NodeProcess.clientsDir(),
                Map.of("SWITCHBOARD_URL", base.toString()), TIMEOUT_SECONDS, "--test", "--test-reporter=spec", file);
        assertThat(r.finished()).as("node --test %s finished within %d s", file, TIMEOUT_SECONDS).isTrue();
        assertThat(r.exitCode()).as("node --test %s exit code; output:%n%s", file, r.output()).isZero();
    }
}
