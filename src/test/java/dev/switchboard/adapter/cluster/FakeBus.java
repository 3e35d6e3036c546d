package dev.switchboard.adapter.cluster;

import dev.switchboard.adapter.NamespaceView;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * An in-memory pub/sub for cluster adapters: every published message reaches every adapter whose channels match
 * (synchronously, or queued until {@link #deliver()} when {@code queued}), and a manual timer.
 */
final class FakeBus {

    long now;
    boolean queued;
    boolean down;
    final List<BusAdapter> adapters = new CopyOnWriteArrayList<>();
    final List<Runnable> pending = new ArrayList<>();
    final List<Timer> timers = new ArrayList<>();
    final List<String> published = new CopyOnWriteArrayList<>();
    final java.util.Set<ClusterAdapter> silenced = new java.util.HashSet<>();

    record Timer(long at, Runnable task, boolean[] cancelled) { }

    BusAdapter adapter(NamespaceView view) {
        BusAdapter adapter = new BusAdapter(view);
        adapters.add(adapter);
        return adapter;
    }

    void publish(String channel, byte[] payload) {
        if (down) {
            throw new IllegalStateException("bus down");
        }
        published.add(channel);
        for (BusAdapter a : adapters) {
            if (channel.startsWith(a.channels().broadcast()) || channel.equals(a.channels().request())
                    || channel.equals(a.channels().response()) || channel.equals(a.channels().ownResponse())) {
                Runnable r = () -> a.onMessage(channel, payload);
                if (queued) {
                    pending.add(r);
                } else {
                    r.run();
                }
            }
        }
    }

    void deliver() {
        while (!pending.isEmpty()) {
            pending.remove(0).run();
        }
    }

    ClusterTimer.Cancel schedule(Runnable task, long delay) {
        boolean[] cancelled = {false};
        timers.add(new Timer(now + delay, task, cancelled));
        return () -> cancelled[0] = true;
    }

    void advance(long millis) {
        now += millis;
        List<Timer> due = new ArrayList<>();
        timers.removeIf(t -> {
            if (t.at() <= now) {
                due.add(t);
                return true;
            }
            return false;
        });
        due.stream().filter(t -> !t.cancelled()[0]).forEach(t -> t.task().run());
    }

    final class BusAdapter extends ClusterAdapter {
        BusAdapter(NamespaceView view) {
            super(view, ClusterOptions.defaults().withKeyPrefix("test"), FakeBus.this::schedule);
        }

        @Override
        protected void publish(String channel, byte[] payload) {
            if (silenced.contains(this)) {
                return;
            }
            FakeBus.this.publish(channel, payload);
        }

        @Override
        public void close() {
            super.close();
            adapters.remove(this);
        }
    }
}
