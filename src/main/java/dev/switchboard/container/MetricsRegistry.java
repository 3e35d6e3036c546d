package dev.switchboard.container;

import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.DoubleAdder;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * A small metrics registry written out in the Prometheus text exposition format 0.0.4: counters and histograms
 * with labels, and gauges read when scraped. Payara Micro 7 ships MicroProfile Metrics but does not serve its
 * endpoint for a WAR at the root context, so Switchboard keeps its own (no dependency, one scrape URL).
 */
public final class MetricsRegistry {
    public static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

    private static final Pattern NAME = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*");

    private final Map<String, Family> families = new ConcurrentSkipListMap<>();

    /** A monotonic counter; labels as name, value pairs. The name should end in {@code _total}. */
    public Counter counter(String name, String help, String... labels) {
        Family f = family(name, "counter", help);
        return (Counter) f.series.computeIfAbsent(renderLabels(labels), k -> new Counter());
    }

    /** A histogram with these upper bounds (ascending; +Inf is added). */
    public Histogram histogram(String name, String help, double[] buckets, String... labels) {
        Family f = family(name, "histogram", help);
        return (Histogram) f.series.computeIfAbsent(renderLabels(labels), k -> new Histogram(buckets));
    }

    /** A gauge family read at scrape time: label set (rendered by {@link #labels}) to value. */
    public void gauge(String name, String help, Supplier<Map<String, ? extends Number>> values) {
        family(name, "gauge", help).gauge = values;
    }

    /**
     * A counter family read at scrape time from counts kept elsewhere (the adapter layer has no registry); the values
     * must only grow. The name should end in {@code _total}.
     */
    public void counterFunction(String name, String help, Supplier<Map<String, ? extends Number>> values) {
        family(name, "counter", help).gauge = values;
    }

    /** Renders label pairs as {@code {a="x",b="y"}} (empty string for none). */
    public static String labels(String... pairs) {
        return renderLabels(pairs);
    }

    /** The whole registry in the text format. */
    public String scrape() {
        StringBuilder out = new StringBuilder(4096);
        for (Map.Entry<String, Family> e : families.entrySet()) {
            String name = e.getKey();
            Family f = e.getValue();
            out.append("# HELP ").append(name).append(' ').append(f.help.replace("\\", "\\\\").replace("\n", "\\n"))
                    .append('\n').append("# TYPE ").append(name).append(' ').append(f.type).append('\n');
            if (f.gauge != null) {
                Map<String, ? extends Number> values;
                try {
                    values = f.gauge.get();
                } catch (RuntimeException ex) {
                    values = Map.of();
                }
                values.forEach((labels, v) -> out.append(name).append(labels).append(' ').append(format(v.doubleValue()))
                        .append('\n'));
            }
            new java.util.TreeMap<>(f.series).forEach((labels, s) -> s.write(name, labels, out));
        }
        return out.toString();
    }

    private Family family(String name, String type, String help) {
        // Called per event on hot paths: look up first, validate the name only when the family is new.
        Family f = families.get(name);
        if (f == null) {
            if (!NAME.matcher(name).matches()) {
                throw new IllegalArgumentException("bad metric name: " + name);
            }
            f = families.computeIfAbsent(name, n -> new Family(type, help));
        }
        if (!f.type.equals(type)) {
            throw new IllegalArgumentException(name + " is a " + f.type + ", not a " + type);
        }
        return f;
    }

    static String renderLabels(String... pairs) {
        if (pairs.length == 0) {
            return "";
        }
        if (pairs.length % 2 != 0) {
            throw new IllegalArgumentException("labels come in name, value pairs: " + Arrays.toString(pairs));
        }
        StringBuilder b = new StringBuilder("{");
        for (int i = 0; i < pairs.length; i += 2) {
            if (i > 0) {
                b.append(',');
            }
            String v = pairs[i + 1] == null ? "" : pairs[i + 1];
            b.append(pairs[i]).append("=\"")
                    .append(v.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n")).append('"');
        }
        return b.append('}').toString();
    }

    static String format(double v) {
        if (Double.isInfinite(v)) {
            return v > 0 ? "+Inf" : "-Inf";
        }
        if (v == Math.rint(v) && Math.abs(v) < 1e15) {
            return Long.toString((long) v);
        }
        return String.format(Locale.ROOT, "%s", v);
    }

    private static final class Family {
        final String type;
        final String help;
        final Map<String, Series> series = new ConcurrentHashMap<>();
        volatile Supplier<Map<String, ? extends Number>> gauge;

        Family(String type, String help) {
            this.type = type;
            this.help = help;
        }
    }

    private interface Series {
        void write(String name, String labels, StringBuilder out);
    }

    /** A monotonic count. */
    public static final class Counter implements Series {
        private final LongAdder value = new LongAdder();

        public void inc() {
            value.increment();
        }

        public void inc(long n) {
            value.add(n);
        }

        public long get() {
            return value.sum();
        }

        @Override
        public void write(String name, String labels, StringBuilder out) {
            out.append(name).append(labels).append(' ').append(value.sum()).append('\n');
        }
    }

    /** Observations counted into cumulative buckets, with their sum and count. */
    public static final class Histogram implements Series {
        private final double[] bounds;
        private final LongAdder[] counts;
        private final DoubleAdder sum = new DoubleAdder();
        private final LongAdder count = new LongAdder();

        Histogram(double[] bounds) {
            this.bounds = bounds.clone();
            for (int i = 1; i < bounds.length; i++) {
                if (bounds[i] <= bounds[i - 1]) {
                    throw new IllegalArgumentException("bucket bounds must ascend: " + Arrays.toString(bounds));
                }
            }
            this.counts = new LongAdder[bounds.length];
            for (int i = 0; i < counts.length; i++) {
                counts[i] = new LongAdder();
            }
        }

        public void observe(double value) {
            for (int i = 0; i < bounds.length; i++) {
                if (value <= bounds[i]) {
                    counts[i].increment();
                    break;
                }
            }
            sum.add(value);
            count.increment();
        }

        public long count() {
            return count.sum();
        }

        @Override
        public void write(String name, String labels, StringBuilder out) {
            String inner = labels.isEmpty() ? "" : labels.substring(1, labels.length() - 1) + ",";
            long cumulative = 0;
            for (int i = 0; i < bounds.length; i++) {
                cumulative += counts[i].sum();
                out.append(name).append("_bucket{").append(inner).append("le=\"").append(format(bounds[i]))
                        .append("\"} ").append(cumulative).append('\n');
            }
            long total = count.sum();
            out.append(name).append("_bucket{").append(inner).append("le=\"+Inf\"} ").append(total).append('\n');
            out.append(name).append("_sum").append(labels).append(' ').append(format(sum.sum())).append('\n');
            out.append(name).append("_count").append(labels).append(' ').append(total).append('\n');
        }
    }
}
