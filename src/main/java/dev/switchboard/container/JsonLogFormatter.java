package dev.switchboard.container;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Instant;
import java.util.Map;
import java.util.logging.Formatter;
import java.util.logging.Level;
import java.util.logging.LogRecord;

/**
 * One JSON object per line: time, level (DEBUG for FINE and below), logger, thread, message, the correlation
 * fields of the {@link LogContext} (request_id, sid, socket_id, user_id) and, for a failure, the error. Messages are
 * the parameterised log messages only: the code never logs tokens or message text above DEBUG.
 */
public final class JsonLogFormatter extends Formatter {
    private final Map<String, String> fixedFields;

    public JsonLogFormatter() {
        this(Map.of());
    }

    JsonLogFormatter(Map<String, String> fixedFields) {
        this.fixedFields = fixedFields;
    }

    @Override
    public String format(LogRecord record) {
        StringBuilder b = new StringBuilder(256).append('{');
        field(b, "time", Instant.ofEpochMilli(record.getMillis()).toString());
        field(b, "level", level(record.getLevel()));
        field(b, "logger", record.getLoggerName());
        field(b, "thread", Thread.currentThread().getName());
        field(b, "message", formatMessage(record));
        fixedFields.forEach((k, v) -> field(b, k, v));
        LogContext.snapshot().forEach((k, v) -> field(b, k, v));
        if (record.getThrown() != null) {
            field(b, "error", record.getThrown().toString());
            if (record.getLevel().intValue() >= Level.WARNING.intValue()) {
                StringWriter trace = new StringWriter();
                record.getThrown().printStackTrace(new PrintWriter(trace));
                field(b, "stack", trace.toString());
            }
        }
        return b.append("}\n").toString();
    }

    static String level(Level level) {
        int v = level.intValue();
        if (v >= Level.SEVERE.intValue()) {
            return "ERROR";
        }
        if (v >= Level.WARNING.intValue()) {
            return "WARN";
        }
        if (v >= Level.INFO.intValue()) {
            return "INFO";
        }
        return v >= Level.FINE.intValue() ? "DEBUG" : "TRACE";
    }

    private static void field(StringBuilder b, String key, String value) {
        if (value == null) {
            return;
        }
        if (b.length() > 1) {
            b.append(',');
        }
        quote(b, key).append(':');
        quote(b, value);
    }

    private static StringBuilder quote(StringBuilder b, String s) {
        b.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\t' -> b.append("\\t");
                default -> {
                    if (c < 0x20) {
                        b.append(String.format("\\u%04x", (int) c));
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        return b.append('"');
    }
}
