package dev.switchboard.it;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * Payara Micro nodes that a test starts, stops, kills and restarts itself (own processes, --nohazelcast, loopback,
 * the WAR under test). Arquillian manages one server per class and cannot restart it; multi-node, kill and restart
 * tests use this instead. Each node keeps its port across restarts so clients and balancers find it again.
 */
public final class PayaraNodes implements AutoCloseable {
    /** A booting node whose log has not grown for this long is taken for hung (see awaitReady). */
    private static final long STALLED_BOOT_SECONDS = 150;
    private final Path workDir;
    private final Path properties;
    private final List<String> jvmOptions;
    private final List<Integer> ports = new ArrayList<>();
    private final List<Process> processes = new ArrayList<>();
    private final int[] starts;

    private PayaraNodes(Path workDir, Path properties, List<String> jvmOptions, List<Integer> ports) {
        this.workDir = workDir;
        this.properties = properties;
        this.jvmOptions = List.copyOf(jvmOptions);
        this.ports.addAll(ports);
        this.starts = new int[ports.size()];
        ports.forEach(p -> processes.add(null));
    }

    /**
     * Starts count nodes with the given system properties file on free ports in [firstPort, lastPort] and waits until
     * every one answers an Engine.IO handshake. workDir holds the logs (node-i.log, node-i.1.log after a restart).
     */
    public static PayaraNodes start(Path workDir, Path properties, int count, int firstPort, int lastPort,
            List<String> jvmOptions) throws IOException, InterruptedException {
        Files.createDirectories(workDir);
        List<Integer> ports = new ArrayList<>();
        int next = firstPort;
        for (int i = 0; i < count; i++) {
            int port = freePort(next, lastPort);
            ports.add(port);
            next = port + 1;
        }
        PayaraNodes nodes = new PayaraNodes(workDir, properties, jvmOptions, ports);
        try {
            for (int i = 0; i < count; i++) {
                nodes.launch(i);
            }
            for (int i = 0; i < count; i++) {
                nodes.awaitReady(i);
            }
        } catch (IOException | InterruptedException | RuntimeException e) {
            nodes.close();
            throw e;
        }
        return nodes;
    }

    /**
     * Starts one node on a free port in [firstPort, lastPort] without waiting for it: for a node that is expected not
     * to come up (a bad configuration). Its log is {@link #log(int)}.
     */
    public static PayaraNodes launchOne(Path workDir, Path properties, int firstPort, int lastPort,
            List<String> jvmOptions) throws IOException {
        Files.createDirectories(workDir);
        PayaraNodes nodes = new PayaraNodes(workDir, properties, jvmOptions, List.of(freePort(firstPort, lastPort)));
        nodes.launch(0);
        return nodes;
    }

    /** The node's current log file. */
    public Path log(int node) {
        return logFile(node);
    }

    /** A fresh folder for one test's node, next to the WAR (in the build folder). */
    public static Path workDir(String prefix) throws IOException {
        Path war = Path.of(System.getProperty("switchboard.war"));
        return Files.createTempDirectory(war.getParent(), prefix);
    }

    /**
     * Writes fileName in workDir: the failsafe execution's server properties ({@code switchboard.itProperties}),
     * then extraLines, which override them.
     */
    public static Path properties(Path workDir, String fileName, String extraLines) throws IOException {
        String base = Files.readString(Path.of(System.getProperty("switchboard.itProperties")));
        return Files.writeString(workDir.resolve(fileName), base + "\n" + extraLines);
    }

    /**
     * JVM options every node gets, before its own: Payara Micro's services start on one thread, as in payara/run.sh
     * (its default, four threads, can deadlock in HK2 and hang the boot for good).
     */
    public static final List<String> BOOT_OPTIONS = List.of("-Dorg.glassfish.startupThreadPolicy=USE_NO_THREADS");

    /** The default JVM options of test nodes: small heap, C1 only (these nodes live for minutes; boot dominates). */
    public static List<String> defaultJvmOptions() {
        return List.of("-Xmx320m", "-XX:TieredStopAtLevel=1", "-Xss512k");
    }

    public int size() {
        return ports.size();
    }

    public int port(int node) {
        return ports.get(node);
    }

    public String url(int node) {
        return "http://127.0.0.1:" + ports.get(node);
    }

    public List<String> urls() {
        return IntStream.range(0, size()).mapToObj(this::url).toList();
    }

    public long pid(int node) {
        return processes.get(node).pid();
    }

    public boolean isAlive(int node) {
        Process p = processes.get(node);
        return p != null && p.isAlive();
    }

    public Path workDir() {
        return workDir;
    }

    /** SIGKILL: the JVM gets no chance to drain or flush, like a crashed host. */
    public void kill(int node) throws InterruptedException {
        Process p = processes.get(node);
        p.destroyForcibly();
        p.waitFor(20, TimeUnit.SECONDS);
    }

    /** SIGTERM: the graceful path (shutdown hook, drain); SIGKILL if still alive after the grace period. */
    public void stop(int node, Duration grace) throws InterruptedException {
        Process p = processes.get(node);
        p.destroy();
        if (!p.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS)) {
            p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }

    /** Starts a stopped or killed node again on its port and waits until it answers. */
    public void restart(int node) throws IOException, InterruptedException {
        if (isAlive(node)) {
            throw new IllegalStateException("node " + node + " is still running");
        }
        launch(node);
        awaitReady(node);
    }

    /** The last lines of every node's current log, for failure messages. */
    public String tails() {
        return IntStream.range(0, size()).mapToObj(i -> {
            Path log = logFile(i);
            try {
                List<String> lines = Files.readAllLines(log);
                return "--- node " + i + " (" + log + ")\n"
                        + String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
            } catch (IOException e) {
                return "--- node " + i + ": " + e;
            }
        }).collect(Collectors.joining("\n"));
    }

    @Override
    public void close() throws InterruptedException {
        for (Process p : processes) {
            if (p != null) {
                p.destroy();
            }
        }
        for (Process p : processes) {
            if (p != null && !p.waitFor(20, TimeUnit.SECONDS)) {
                p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        }
    }

    private Path logFile(int node) {
        return workDir.resolve(starts[node] <= 1 ? "node-" + node + ".log" : "node-" + node + "." + (starts[node] - 1) + ".log");
    }

    private void launch(int node) throws IOException {
        Path basedir = Path.of(System.getProperty("switchboard.basedir", "."));
        Path war = Path.of(System.getProperty("switchboard.war"));
        Path micro = Path.of(System.getProperty("payara.microJar"));
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = new ArrayList<>();
        command.add(java);
        command.addAll(BOOT_OPTIONS);
        command.addAll(jvmOptions);
        command.addAll(List.of("-jar", micro.toString(), "--nohazelcast", "--port", String.valueOf(ports.get(node)),
                "--contextroot", "/",
                "--prebootcommandfile", basedir.resolve("payara/pre-boot-commands.txt").toString(),
                "--systemproperties", properties.toString(), "--deploy", war.toString()));
        starts[node]++;
        Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(logFile(node).toFile())
                .directory(workDir.toFile()).start();
        processes.set(node, p);
    }

    private void awaitReady(int node) throws InterruptedException {
        // HTTP/1.1: the default HTTP/2 client sends an h2c upgrade; a probe of a node still booting then hung past
        // its request timeout (seen under load 30+). The async get bounds every attempt whatever the client does.
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(2)).build();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(Long.getLong("payara.nodes.boot-seconds", 300));
        URI probe = URI.create(url(node) + "/socket.io/?EIO=4&transport=polling");
        long logSize = -1;
        long logGrewAt = System.nanoTime();
        int relaunches = 0;
        while (true) {
            if (!isAlive(node)) {
                throw new IllegalStateException("node " + node + " exited; see " + logFile(node));
            }
            // Payara Micro's boot can deadlock in its own service registry (HK2 ServiceLocatorImpl lock, seen once in
            // CI: the log stopped after "Grizzly started" and nothing followed for 10 minutes). A boot whose log has
            // not grown for STALLED_BOOT_SECONDS is killed and started again, twice at most.
            long size = logFile(node).toFile().length();
            if (size != logSize) {
                logSize = size;
                logGrewAt = System.nanoTime();
            } else if (System.nanoTime() - logGrewAt > TimeUnit.SECONDS.toNanos(STALLED_BOOT_SECONDS)
                    && relaunches < 2) {
                relaunches++;
                System.out.println("PayaraNodes: node " + node + " boot stalled (" + logFile(node)
                        + " unchanged for " + STALLED_BOOT_SECONDS + " s); starting it again");
                Process stuck = processes.get(node);
                stuck.destroyForcibly();
                stuck.waitFor(20, TimeUnit.SECONDS);
                try {
                    launch(node);
                } catch (IOException e) {
                    throw new IllegalStateException("node " + node + " could not be started again", e);
                }
                logSize = -1;
                logGrewAt = System.nanoTime();
                continue;
            }
            try {
                var pending = http.sendAsync(HttpRequest.newBuilder(probe).timeout(Duration.ofSeconds(3)).build(),
                        HttpResponse.BodyHandlers.ofString());
                try {
                    if (pending.get(5, TimeUnit.SECONDS).statusCode() == 200) {
                        return;
                    }
                } finally {
                    pending.cancel(true);
                }
            } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
                // not up yet
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("node " + node + " not ready; see " + logFile(node));
            }
            Thread.sleep(1_000);
        }
    }

    /** The first port in [from, to] that nothing listens on at 127.0.0.1. */
    public static int freePort(int from, int to) {
        for (int p = from; p <= to; p++) {
            try (ServerSocket s = new ServerSocket(p, 1, InetAddress.getLoopbackAddress())) {
                return p;
            } catch (IOException e) {
                // taken
            }
        }
        throw new IllegalStateException("no free port in " + from + "-" + to);
    }
}
