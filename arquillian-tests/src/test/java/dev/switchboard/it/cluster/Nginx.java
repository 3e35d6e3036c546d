package dev.switchboard.it.cluster;

import dev.switchboard.it.PayaraNodes;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * Debian's nginx as an ordinary process in front of test nodes, configured from payara/nginx/switchboard.conf.template
 * (the file operators use), with its pid, logs and temp files under a folder of the build dir. Adds the response
 * header X-Switchboard-Node (the node that answered) so tests can see where a client landed.
 */
final class Nginx implements AutoCloseable {
    private final Process process;
    private final int port;
    private final Path runDir;

    private Nginx(Process process, int port, Path runDir) {
        this.process = process;
        this.port = port;
        this.runDir = runDir;
    }

    static boolean available() {
        return Files.isExecutable(Path.of("/usr/sbin/nginx"));
    }

    /** Starts nginx on the first free port of [firstPort, lastPort], balancing over the given node ports. */
    static Nginx start(Path runDir, List<Integer> nodePorts, int firstPort, int lastPort)
            throws IOException, InterruptedException {
        Path basedir = Path.of(System.getProperty("switchboard.basedir", "."));
        Files.createDirectories(runDir.resolve("temp"));
        int port = PayaraNodes.freePort(firstPort, lastPort);
        String servers = nodePorts.stream()
                .map(p -> "        server 127.0.0.1:" + p + " max_fails=1 fail_timeout=5s;")
                .collect(Collectors.joining("\n"));
        String conf = Files.readString(basedir.resolve("payara/nginx/switchboard.conf.template"))
                .replace("@RUN_DIR@", runDir.toAbsolutePath().toString())
                .replace("@LISTEN@", "127.0.0.1:" + port)
                .replace("@SERVERS@", servers)
                .replace("@EXTRA@", "        add_header X-Switchboard-Node $upstream_addr always;");
        Path file = runDir.resolve("nginx.conf");
        Files.writeString(file, conf);
        Process p = new ProcessBuilder("/usr/sbin/nginx", "-p", runDir.toAbsolutePath().toString(),
                "-c", file.toAbsolutePath().toString(), "-e", runDir.resolve("error.log").toAbsolutePath().toString(),
                "-g", "daemon off;")
                .redirectErrorStream(true).redirectOutput(runDir.resolve("nginx.out").toFile()).start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (true) {
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", port), 500);
                return new Nginx(p, port, runDir);
            } catch (IOException e) {
                if (!p.isAlive() || System.nanoTime() > deadline) {
                    p.destroyForcibly();
                    throw new IllegalStateException("nginx did not start: " + Files.readString(runDir.resolve("nginx.out"))
                            + errorLog(runDir));
                }
                Thread.sleep(100);
            }
        }
    }

    String url() {
        return "http://127.0.0.1:" + port;
    }

    String errorLog() {
        return errorLog(runDir);
    }

    private static String errorLog(Path runDir) {
        try {
            Path log = runDir.resolve("error.log");
            return Files.exists(log) ? Files.readString(log) : "";
        } catch (IOException e) {
            return e.toString();
        }
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy(); // SIGTERM: nginx's fast shutdown
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
        }
    }
}
