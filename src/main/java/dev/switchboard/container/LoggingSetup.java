package dev.switchboard.container;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.util.Locale;
import java.util.function.Function;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.logging.StreamHandler;

/**
 * {@code switchboard.log.format}: {@code text} (default: the server's own log format) or {@code json} (one JSON
 * object per line on standard output for the {@code dev.switchboard} loggers, see {@link JsonLogFormatter}).
 * Levels stay the server's: switch protocol tracing on at run time with
 * {@code asadmin set-log-levels dev.switchboard.engineio=FINE} (or the Payara logging properties).
 */
final class LoggingSetup {
    static final String KEY = "switchboard.log.format";
    private static final Logger ROOT = Logger.getLogger("dev.switchboard");
    private static Handler installed;

    private LoggingSetup() {
    }

    static synchronized void apply(Function<String, java.util.Optional<String>> lookup) {
        String format = lookup.apply(KEY).map(v -> v.trim().toLowerCase(Locale.ROOT)).orElse("text");
        switch (format) {
            case "text" -> remove();
            case "json" -> {
                remove();
                // Straight to the process's stdout: System.out is redirected into the server's own log format.
                StreamHandler handler = new StreamHandler(new FileOutputStream(FileDescriptor.out),
                        new JsonLogFormatter()) {
                    @Override
                    public synchronized void publish(java.util.logging.LogRecord record) {
                        super.publish(record);
                        flush();
                    }
                };
                handler.setLevel(Level.ALL);
                ROOT.addHandler(handler);
                ROOT.setUseParentHandlers(false);
                installed = handler;
            }
            default -> throw new IllegalArgumentException(KEY + ": expected json or text, got '" + format + "'");
        }
    }

    static synchronized void remove() {
        if (installed != null) {
            ROOT.removeHandler(installed);
            ROOT.setUseParentHandlers(true);
            installed.flush();
            installed = null;
        }
    }
}
