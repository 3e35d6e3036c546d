package dev.switchboard.chat.infrastructure;

import dev.switchboard.container.MetricsRegistry;
import dev.switchboard.container.SwitchboardMetrics;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/** The chat's metric families, on the node's registry (served at /metrics with the protocol's). */
@ApplicationScoped
public class ChatMetrics {
    /** Persistence latency buckets, seconds: 1 ms to 5 s. */
    static final double[] LATENCY_BUCKETS = {0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5};

    @Inject
    SwitchboardMetrics metrics;

    /** A message stored (not a dedup hit), and how long the store took. */
    public void persisted(long nanos) {
        MetricsRegistry r = metrics.registry();
        r.counter("chat_messages_persisted_total", "Chat messages stored (socket and REST)").inc();
        persistenceLatency(nanos);
    }

    /** A post whose client message id was already stored: answered with the original, stored once. */
    public void dedupHit(long nanos) {
        metrics.registry().counter("chat_dedup_hits_total", "Posts answered from an earlier one with the same "
                + "message_id").inc();
        persistenceLatency(nanos);
    }

    public void rateLimited() {
        metrics.registry().counter("chat_rate_limited_total", "Chat messages and REST calls refused by a rate limit")
                .inc();
    }

    /** An error sent to a client, by the chat's code (RATE_LIMITED, NOT_A_MEMBER, ...). */
    public void error(String code) {
        metrics.countError(code);
    }

    private void persistenceLatency(long nanos) {
        metrics.registry().histogram("chat_persistence_duration_seconds", "Time to store a chat message "
                + "(transaction included)", LATENCY_BUCKETS).observe(nanos / 1e9);
    }
}
