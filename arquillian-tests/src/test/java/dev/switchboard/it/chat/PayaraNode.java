package dev.switchboard.it.chat;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A Payara Micro process the test starts itself (not Arquillian's), so that it can SIGKILL it, start it again on the
 * same data folder, and read its threads, file descriptors and heap from /proc and jcmd. The built WAR, the
 * repository's pre-boot commands, --nohazelcast, a port of its own; the log of every start is appended to node.log.
 */
final class PayaraNode {
    /** The port range of these tests (other suites use other ranges). */
    static final int FIRST_PORT = 3750;
    static final int LAST_PORT = 3799;

    private final Path workDir;
    private final Path properties;
    private final int port;
    private Process process;

    PayaraNode(Path workDir, Path properties) {
        this.workDir = workDir;
        this.properties = properties;
        this.port = freePort();
    }

    String url() {
        return "http://127.0.0.1:" + port;
    }

    Path log() {
        return workDir.resolve("node.log");
    }

    long pid() {
        return process.pid();
    }

    /** Starts the server and waits until /health/ready answers 200 (the database migrated, the engine up). */
    void start() throws Exception {
        Path basedir = Path.of(System.getProperty("switchboard.basedir", "."));
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Files.writeString(log(), "---- start " + Instant.now() + "\n", StandardOpenOption.CREATE,
                StandardOpenOption.APPEND);
        // C1 only: boot time dominates on a busy 2-core machine
        process = new ProcessBuilder(java, "-Xmx384m", "-XX:TieredStopAtLevel=1", "-Xss512k",
                "-jar", System.getProperty("payara.microJar"), "--nohazelcast", "--port", String.valueOf(port),
                "--contextroot", "/",
                "--prebootcommandfile", basedir.resolve("payara/pre-boot-commands.txt").toString(),
                "--systemproperties", properties.toString(), "--deploy", System.getProperty("switchboard.war"))
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log().toFile()))
                .directory(workDir.toFile()).start();
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(Long.getLong("payara.node.boot-seconds", 300));
        while (true) {
            if (!process.isAlive()) {
                throw new IllegalStateException("Payara Micro exited; see " + log() + "\n" + tail(40));
            }
            try {
                HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url() + "/health/ready"))
                        .timeout(Duration.ofSeconds(3)).build(), HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // not up yet
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("Payara Micro not ready; see " + log() + "\n" + tail(40));
            }
            Thread.sleep(500);
        }
    }

    /** SIGKILL: no shutdown hook, no drain, nothing flushed. */
    void kill9() throws InterruptedException {
        process.destroyForcibly();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            throw new IllegalStateException("process " + process.pid() + " survived SIGKILL");
        }
    }

    /** SIGTERM, then SIGKILL if it does not stop in time. */
    void stop() throws InterruptedException {
        if (process == null || !process.isAlive()) {
            return;
        }
        process.destroy();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }

    String tail(int lines) {
        try {
            List<String> all = Files.readAllLines(log());
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
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
}
