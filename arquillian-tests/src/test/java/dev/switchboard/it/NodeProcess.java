package dev.switchboard.it;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Runs a node script the container tests drive clients with: bounded in time, output captured and printed. */
public final class NodeProcess {
    /** How a run ended: finished within the timeout or killed, its exit code, and everything it printed. */
    public record Result(boolean finished, int exitCode, String output) {
    }

    private NodeProcess() {
    }

    /** The folder of the npm test clients, arquillian-tests/node. */
    public static File clientsDir() {
        return new File(System.getProperty("switchboard.basedir", "."), "arquillian-tests/node");
    }

    /** Runs {@code node args...} in dir with extra environment; kills the process tree after timeoutSeconds. */
    public static Result run(File dir, Map<String, String> env, long timeoutSeconds, String... args)
            throws IOException, InterruptedException {
        String[] command = new String[args.length + 1];
        command[0] = "node";
        System.arraycopy(args, 0, command, 1, args.length);
        return command(dir, env, timeoutSeconds, command);
    }

    /** Runs any command (a script that starts node itself, say) the same way. */
    public static Result command(File dir, Map<String, String> env, long timeoutSeconds, String... command)
            throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(command).directory(dir).redirectErrorStream(true);
        pb.environment().put("NO_COLOR", "1");
        pb.environment().putAll(env);
        Process node = pb.start();
        ByteArrayOutputStream output = new ByteArrayOutputStream();
        Thread pump = Thread.ofVirtual().start(() -> copy(node.getInputStream(), output));
        boolean finished = node.waitFor(timeoutSeconds, TimeUnit.SECONDS);
        if (!finished) {
            node.descendants().forEach(ProcessHandle::destroyForcibly);
            node.destroyForcibly();
            node.waitFor(10, TimeUnit.SECONDS);
        }
        pump.join(5_000);
        String text = output.toString(StandardCharsets.UTF_8);
        System.out.println("---- " + String.join(" ", command) + " ----\n" + text);
        return new Result(finished, finished ? node.exitValue() : -1, text);
    }

    private static void copy(InputStream in, ByteArrayOutputStream out) {
        try (in) {
            in.transferTo(out);
        } catch (IOException ignored) {
            // the process was killed
        }
    }
}
