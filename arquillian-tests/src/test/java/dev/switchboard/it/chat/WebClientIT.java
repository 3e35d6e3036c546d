package dev.switchboard.it.chat;

import dev.switchboard.it.NodeProcess;
import dev.switchboard.it.PayaraNodes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

import java.io.File;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The web client (webapp-ui/, packaged at the WAR root) in headless Chromium: runs webapp-ui/e2e/run.mjs
 * (playwright-core driving Debian's /usr/bin/chromium, which .ci/run installs) and asserts that every scenario passed:
 * two users chatting, unread counts, history paging on scroll, rate limit and invalid input, an admin broadcast and an
 * admin deleting a message, WebSocket blocked (long-polling), a lost network, a token expiring mid-session, a server
 * restart mid-chat, accessibility basics, and no console errors.
 *
 * <p>Plain JUnit, not Arquillian: the restart scenario needs a server it can stop and start again, so the test starts
 * its own Payara Micro (the chat configuration of failsafe's chat execution, on an H2 file database and data folder of
 * its own so that history and the development issuer's key survive the restart) through a small script, server.sh,
 * which run.mjs also gets as SWITCHBOARD_RESTART_CMD. Ports 3800-3849. Screenshots go to the build folder's
 * webapp-ui-screenshots/, the server log to webclient-it/server.log.
 */
@EnabledIfSystemProperty(named = "switchboard.itProperties", matches = ".*chat\\.properties",
        disabledReason = "needs the chat server configuration (failsafe's chat execution)")
class WebClientIT {
    private static final long E2E_TIMEOUT_SECONDS = 900;
    private static final long BOOT_TIMEOUT_SECONDS = 420;
    /** Polls (a second or more each) without the boot log growing after which server.sh takes a boot for hung. */
    private static final int STALLED_BOOT_POLLS = 90;
    private static final int FIRST_PORT = 3800;
    private static final int LAST_PORT = 3849;
    private static final String CHROMIUM = "/usr/bin/chromium";

    @Test
    void theWebClientWorksInABrowser() throws Exception {
        assertThat(new File(CHROMIUM)).as("Debian's chromium (apt-get install -y chromium; .ci/run does it)").exists();
        Path basedir = Path.of(System.getProperty("switchboard.basedir", "."));
        File ui = basedir.resolve("webapp-ui").toFile();
        assertThat(new File(ui, "node_modules/playwright-core")).as("webapp-ui's npm packages (the build installs them)")
                .exists();
        Path war = Path.of(System.getProperty("switchboard.war", "target/switchboard.war")).toAbsolutePath();
        Path work = war.getParent().resolve("webclient-it");
        deleteRecursively(work);
        Files.createDirectories(work.resolve("data"));
        int port = freePort();
        Path script = writeServerScript(basedir, war, work, port);

        runScript(script, "start");
        try {
            Map<String, String> env = Map.of("SWITCHBOARD_URL", "http://localhost:" + port,
                    "SCREENSHOT_DIR", war.getParent().resolve("webapp-ui-screenshots").toString(),
                    "CHROMIUM_PATH", CHROMIUM, "SWITCHBOARD_RESTART_CMD", "sh " + script + " restart");
            NodeProcess.Result r = NodeProcess.run(ui, env, E2E_TIMEOUT_SECONDS, "e2e/run.mjs");
            assertThat(r.finished()).as("e2e/run.mjs finished within %d s", E2E_TIMEOUT_SECONDS).isTrue();
            assertThat(r.exitCode()).as("e2e/run.mjs exit code; output:%n%s%nserver log: %s", r.output(),
                    work.resolve("server.log")).isZero();
        } finally {
            runScript(script, "stop");
        }
    }

    /**
     * server.sh start|stop|restart: the server is a background process whose pid is kept in server.pid, so that the
     * e2e script can restart it; start waits until /health/ready answers 200 (the database migrated, the engine up).
     */
    private static Path writeServerScript(Path basedir, Path war, Path work, int port) throws IOException {
        Path data = work.resolve("data");
        String base = Files.readString(Path.of(System.getProperty("switchboard.itProperties")));
        String properties = base.lines()
                .filter(l -> !l.startsWith("switchboard.db.url") && !l.startsWith("switchboard.data-dir"))
                .collect(Collectors.joining("\n"))
                + "\n# WebClientIT: a file database and data folder that survive the restart\n"
                + "switchboard.db.url=jdbc:h2:file:" + data.resolve("switchboard") + ";WRITE_DELAY=0\n"
                + "switchboard.data-dir=" + data + "\n"
                // the client sends one message per room at a time, so at 5/s a burst only trips the limit when an
                // ack takes under 200 ms, which a loaded machine misses; 3 per 2 s trips it below 650 ms
                + "switchboard.chat.rate-limit.messages=3\nswitchboard.chat.rate-limit.window-ms=2000\n";
        Path props = Files.writeString(work.resolve("server.properties"), properties);
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String ready = "http://127.0.0.1:" + port + "/health/ready";
        String script = String.join("\n",
                "#!/bin/sh",
                "# WebClientIT's Payara Micro on port " + port + ": start | stop | restart",
                "set -u",
                "cd '" + work + "'",
                "launch() {",
                "  echo \"---- start $(date -u +%FT%TZ)\" >> server.log",
                // C1 only: boot time dominates on a busy 2-core machine
                "  nohup '" + java + "' " + String.join(" ", PayaraNodes.BOOT_OPTIONS)
                        + " -Xmx512m -XX:TieredStopAtLevel=1 -jar '" + System.getProperty("payara.microJar")
                        + "' --nohazelcast --port " + port + " --contextroot / --prebootcommandfile '"
                        + basedir.toAbsolutePath().resolve("payara/pre-boot-commands.txt") + "' --systemproperties '"
                        + props + "' --deploy '" + war + "' >> server.log 2>&1 < /dev/null &",
                "  echo $! > server.pid",
                "}",
                // Payara Micro's boot now and then hangs inside its own service registry (seen in CI: the log stops
                // mid-boot and nothing follows for minutes), as PayaraNodes also handles: a boot whose log has not
                // grown for STALL polls is dumped (kill -QUIT: the threads go to server.log), killed and started
                // again, twice at most
                "start() {",
                "  t0=$(date +%s)",
                "  launch",
                "  i=0; size=-1; still=0; relaunches=0",
                "  until node -e 'fetch(process.argv[1], { signal: AbortSignal.timeout(3000) })"
                        + ".then((r) => process.exit(r.status === 200 ? 0 : 1), () => process.exit(1))' " + ready + "; do",
                "    kill -0 \"$(cat server.pid)\" 2>/dev/null || { echo 'server.sh: Payara Micro exited'; tail -n 40 server.log; exit 1; }",
                "    now=$(wc -c < server.log)",
                "    if [ \"$now\" = \"$size\" ]; then still=$((still + 1)); else size=$now; still=0; fi",
                "    if [ $still -ge " + STALLED_BOOT_POLLS + " ] && [ $relaunches -lt 2 ]; then",
                "      echo \"server.sh: boot stalled (server.log unchanged for " + STALLED_BOOT_POLLS
                        + " polls); threads dumped to server.log; starting again\"",
                "      kill -QUIT \"$(cat server.pid)\" 2>/dev/null; sleep 2",
                "      kill -KILL \"$(cat server.pid)\" 2>/dev/null; sleep 1",
                "      relaunches=$((relaunches + 1)); still=0; size=-1",
                "      launch",
                "    fi",
                "    i=$((i + 1))",
                "    [ $i -lt " + BOOT_TIMEOUT_SECONDS + " ] || { echo 'server.sh: not ready in time'; tail -n 40 server.log; exit 1; }",
                "    sleep 1",
                "  done",
                "  echo \"server.sh: ready after $(($(date +%s) - t0)) s\"",
                "}",
                "stop() {",
                "  [ -f server.pid ] || return 0",
                "  pid=$(cat server.pid)",
                "  kill -TERM \"$pid\" 2>/dev/null || { rm -f server.pid; return 0; }",
                "  i=0",
                "  while kill -0 \"$pid\" 2>/dev/null; do",
                "    i=$((i + 1)); [ $i -eq 60 ] && kill -KILL \"$pid\" 2>/dev/null",
                "    sleep 0.5",
                "  done",
                "  rm -f server.pid",
                "  echo \"server.sh: stopped after $((i / 2)) s\"",
                "}",
                "case \"${1:-}\" in",
                "  start) start ;;",
                "  stop) stop ;;",
                "  restart) stop; start ;;",
                "  *) echo 'usage: server.sh start|stop|restart' >&2; exit 2 ;;",
                "esac",
                "");
        return Files.writeString(work.resolve("server.sh"), script, StandardCharsets.UTF_8);
    }

    private static void runScript(Path script, String command) throws IOException, InterruptedException {
        // into a file, not inherited: output written straight to the forked JVM's stdout corrupts failsafe's channel
        Path output = script.resolveSibling("server.sh." + command + ".out");
        Process p = new ProcessBuilder("sh", script.toString(), command).redirectErrorStream(true)
                .redirectOutput(output.toFile()).start();
        boolean finished = p.waitFor(BOOT_TIMEOUT_SECONDS + 60, TimeUnit.SECONDS);
        if (!finished) {
            p.destroyForcibly();
        }
        String text = Files.readString(output);
        System.out.println("---- server.sh " + command + " ----\n" + text);
        assertThat(finished && p.exitValue() == 0).as("server.sh %s: %s (log in %s)", command, text,
                script.resolveSibling("server.log")).isTrue();
    }

    private static int freePort() {
        for (int p = FIRST_PORT; p <= LAST_PORT; p++) {
            try (ServerSocket s = new ServerSocket(p, 1, InetAddress.getLoopbackAddress())) {
                return p;
            } catch (IOException e) {
                // taken
            }
        }
        throw new IllegalStateException("no free port in " + FIRST_PORT + "-" + LAST_PORT);
    }

    private static void deleteRecursively(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            List<Path> all = paths.sorted(Comparator.reverseOrder()).toList();
            for (Path p : all) {
                Files.delete(p);
            }
        }
    }
}
