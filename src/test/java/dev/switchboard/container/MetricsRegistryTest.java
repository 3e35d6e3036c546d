package dev.switchboard.container;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The Prometheus text exposition (0.0.4) of counters, gauges and histograms. */
class MetricsRegistryTest {
    private final MetricsRegistry registry = new MetricsRegistry();

    @Test
    void countersWithLabelsAreOneSeriesPerLabelSet() {
        registry.counter("socketio_errors_total", "Errors by code", "code", "parse_error").inc();
        registry.counter("socketio_errors_total", "Errors by code", "code", "parse_error").inc(2);
        registry.counter("socketio_errors_total", "Errors by code", "code", "RATE_LIMITED").inc();
        assertThat(registry.scrape()).isEqualTo("""
                # HELP socketio_errors_total Errors by code
                # TYPE socketio_errors_total counter
                socketio_errors_total{code="RATE_LIMITED"} 1
                socketio_errors_total{code="parse_error"} 3
                """);
    }

    @Test
    void gaugesAreReadWhenScraped() {
        int[] n = {1};
        registry.gauge("engineio_sessions_open", "Open", () -> Map.of("", n[0]));
        assertThat(registry.scrape()).contains("engineio_sessions_open 1\n");
        n[0] = 7;
        assertThat(registry.scrape()).contains("engineio_sessions_open 7\n");
    }

    @Test
    void histogramsHaveCumulativeBucketsSumAndCount() {
        MetricsRegistry.Histogram h = registry.histogram("chat_persistence_duration_seconds", "Latency",
                new double[] {0.01, 0.1, 1});
        h.observe(0.005);
        h.observe(0.05);
        h.observe(0.05);
        h.observe(3);
        assertThat(registry.scrape()).isEqualTo("""
                # HELP chat_persistence_duration_seconds Latency
                # TYPE chat_persistence_duration_seconds histogram
                chat_persistence_duration_seconds_bucket{le="0.01"} 1
                chat_persistence_duration_seconds_bucket{le="0.1"} 3
                chat_persistence_duration_seconds_bucket{le="1"} 3
                chat_persistence_duration_seconds_bucket{le="+Inf"} 4
                chat_persistence_duration_seconds_sum 3.105
                chat_persistence_duration_seconds_count 4
                """);
    }

    @Test
    void labelValuesAreEscaped() {
        registry.counter("x_total", "X", "reason", "a \"b\"\\\n").inc();
        assertThat(registry.scrape()).contains("x_total{reason=\"a \\\"b\\\"\\\\\\n\"} 1");
    }

    @Test
    void aNameKeepsItsType() {
        registry.counter("y_total", "Y").inc();
        assertThatThrownBy(() -> registry.histogram("y_total", "Y", new double[] {1}))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> registry.counter("bad name", "Z")).isInstanceOf(IllegalArgumentException.class);
    }
}
