package dev.switchboard.container;

import org.junit.jupiter.api.Test;

import java.util.logging.Level;
import java.util.logging.LogRecord;

import static org.assertj.core.api.Assertions.assertThat;

/** JSON log lines with correlation fields, and request ids taken or generated. */
class LoggingFormatTest {
    @Test
    void oneJsonObjectPerLineWithTheContextFields() {
        LogRecord r = new LogRecord(Level.INFO, "socket {0} refused: {1}");
        r.setParameters(new Object[] {"abc", "bad \"token\"\n"});
        r.setLoggerName("dev.switchboard.chat.X");
        String[] line = new String[1];
        LogContext.with(() -> line[0] = new JsonLogFormatter().format(r), "request_id", "req-1", "user_id", "alice");
        assertThat(line[0]).endsWith("}\n").doesNotContain("\n}")
                .contains("\"level\":\"INFO\"", "\"logger\":\"dev.switchboard.chat.X\"",
                        "\"message\":\"socket abc refused: bad \\\"token\\\"\\n\"", "\"request_id\":\"req-1\"",
                        "\"user_id\":\"alice\"", "\"time\":\"");
        assertThat(LogContext.snapshot()).isEmpty();
    }

    @Test
    void fineIsDebug() {
        assertThat(JsonLogFormatter.level(Level.FINE)).isEqualTo("DEBUG");
        assertThat(JsonLogFormatter.level(Level.FINEST)).isEqualTo("TRACE");
        assertThat(JsonLogFormatter.level(Level.WARNING)).isEqualTo("WARN");
        assertThat(JsonLogFormatter.level(Level.SEVERE)).isEqualTo("ERROR");
    }

    @Test
    void requestIdsAreTakenWhenSaneElseGenerated() {
        assertThat(RequestIdFilter.idOf("abc-123")).isEqualTo("abc-123");
        assertThat(RequestIdFilter.idOf("bad id\nwith newline")).hasSize(36);
        assertThat(RequestIdFilter.idOf(null)).hasSize(36);
        assertThat(RequestIdFilter.idOf("x".repeat(200))).hasSize(36);
        java.util.UUID generated = java.util.UUID.fromString(RequestIdFilter.idOf(null));
        assertThat(generated.version()).isEqualTo(4);
        assertThat(generated.variant()).isEqualTo(2);
        assertThat(RequestIdFilter.idOf(null)).isNotEqualTo(RequestIdFilter.idOf(null));
        assertThat(RequestIdFilter.sidOf("EIO=4&transport=polling&sid=AbC_-1")).isEqualTo("AbC_-1");
        assertThat(RequestIdFilter.sidOf("EIO=4")).isNull();
        assertThat(RequestIdFilter.sidOf("sid=first&EIO=4")).isEqualTo("first");
        assertThat(RequestIdFilter.sidOf("EIO=4&xsid=no&sid=")).as("empty: not a sane id").isNull();
        assertThat(RequestIdFilter.sidOf("EIO=4&&sid=a%0Ab")).as("escapes are not ids").isNull();
        assertThat(RequestIdFilter.sidOf(null)).isNull();
        assertThat(RequestIdFilter.sane("aZ09._:-")).isTrue();
        assertThat(RequestIdFilter.sane("x".repeat(128))).isTrue();
        assertThat(RequestIdFilter.sane("x".repeat(129))).isFalse();
        assertThat(RequestIdFilter.sane("")).isFalse();
        assertThat(RequestIdFilter.sane("a b")).isFalse();
        assertThat(RequestIdFilter.sane("é")).isFalse();
        assertThat(RequestIdFilter.sane("a/b")).isFalse();
    }
}
