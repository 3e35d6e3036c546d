package dev.switchboard.it.chat;

import dev.switchboard.it.NodeProcess;
import dev.switchboard.it.PayaraNodes;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A node killed with SIGKILL mid-traffic loses nothing it acknowledged. The test starts its own Payara Micro (the
 * chat's default profile, test heartbeat 1500/1000 ms, H2 in a file in a fresh folder, the development issuer's key
 * pair in the same folder), drives four real socket.io-clients (two websocket, two polling; node/faults/node-kill.mjs)
 * that send acknowledged chat messages, kills the JVM with SIGKILL once {@link #KILL_AFTER_ACKS} messages were
 * acknowledged, starts it again on the same folder and port, and asserts (in the script) that every client
 * reconnected and that every acknowledged message is in the REST history exactly once, with the id its ack carried.
 * Plain JUnit (Arquillian cannot kill its server); it runs in failsafe's chat execution.
 */
@EnabledIfSystemProperty(named = "switchboard.itProperties", matches = ".*chat\\.properties",
        disabledReason = "runs in failsafe's chat execution (its properties are the base of this server's)")
class NodeKillIT {
    private static final int KILL_AFTER_ACKS = 40;
    private static Path workDir;
    @AutoClose // stops the node after the tests
    private static PayaraNodes node;

    @BeforeAll
    static void startServer() throws Exception {
        workDir = PayaraNodes.workDir("node-kill-");
        Path properties = PayaraNodes.properties(workDir, "node-kill.properties",
                "# NodeKillIT: a file database and the issuer's keys survive the kill\n"
                + "switchboard.db.url=jdbc:h2:file:" + workDir.resolve("data/switchboard") + ";WRITE_DELAY=0\n"
                + "switchboard.data-dir=" + workDir.resolve("data") + "\n"
                + "switchboard.chat.rate-limit.messages=1000\n");
        node = PayaraNodes.start(workDir, properties, 1, 3750, 3799, List.of("-Xmx384m", "-XX:TieredStopAtLevel=1", "-Xss512k"));
    }

    @Test
    void acknowledgedMessagesSurviveASigkillAndClientsReconnect() throws Exception {
        ProcessBuilder pb = new ProcessBuilder("node", "faults/node-kill.mjs")
                .directory(NodeProcess.clientsDir()).redirectErrorStream(true);
        pb.environment().put("NO_COLOR", "1");
        pb.environment().put("SWITCHBOARD_URL", node.url(0));
        Process clients = pb.start();
        StringBuilder output = new StringBuilder();
        AtomicInteger acks = new AtomicInteger();
        Thread reader = Thread.ofVirtual().start(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(clients.getInputStream(),
                    StandardCharsets.UTF_8))) {
                for (String line = r.readLine(); line != null; line = r.readLine()) {
                    synchronized (output) {
                        output.append(line).append('\n');
                    }
                    if (line.startsWith("ACKED ")) {
                        acks.set(Integer.parseInt(line.substring(6).trim()));
                    }
                }
            } catch (Exception e) {
                // the process ended
            }
        });
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
            while (acks.get() < KILL_AFTER_ACKS && clients.isAlive() && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertThat(acks.get()).as("acks before the kill; clients said:%n%s", output).isGreaterThanOrEqualTo(
                    KILL_AFTER_ACKS);
            node.kill(0);
            int atKill = acks.get();
            long killedAt = System.nanoTime();
            node.restart(0);
            System.out.printf("NodeKillIT: killed after %d acks; restarted in %d ms%n", atKill,
                    TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - killedAt));
            boolean finished = clients.waitFor(240, TimeUnit.SECONDS);
            reader.join(5_000);
            String out;
            synchronized (output) {
                out = output.toString();
            }
            System.out.println("---- node faults/node-kill.mjs ----\n" + out);
            assertThat(finished).as("the clients finished; output:%n%s", out).isTrue();
            assertThat(out).contains("RESULT {\"ok\":true");
            assertThat(clients.exitValue()).as("node-kill.mjs exit code; output:%n%s%nserver log tail:%n%s", out,
                    node.tails()).isZero();
        } finally {
            clients.descendants().forEach(ProcessHandle::destroyForcibly);
            clients.destroyForcibly();
        }
    }
}
