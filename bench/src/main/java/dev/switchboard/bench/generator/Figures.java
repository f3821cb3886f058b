package dev.switchboard.bench.generator;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.HdrHistogram.Histogram;

/**
 * The result of one run: named figures in print order, rendered as ONE line of {@code name=value}
 * tokens (easy to read, and to cut with {@code awk} or a test). Latencies are in milliseconds.
 */
public final class Figures {
    private final String scenario;
    private final Map<String, String> values = new LinkedHashMap<>();
    private final Map<String, Double> numbers = new LinkedHashMap<>();

    Figures(String scenario) {
        this.scenario = scenario;
    }

    Figures text(String name, String value) {
        values.put(name, value);
        return this;
    }

    Figures count(String name, long value) {
        values.put(name, Long.toString(value));
        numbers.put(name, (double) value);
        return this;
    }

    Figures decimal(String name, double value, int decimals) {
        values.put(name, String.format(Locale.ROOT, "%." + decimals + "f", value));
        numbers.put(name, value);
        return this;
    }

    /** Adds p50, p99, p999 and max of a histogram of nanoseconds, as milliseconds. */
    Figures latency(Histogram h) {
        count("samples", h.getTotalCount());
        decimal("p50_ms", h.getValueAtPercentile(50) / 1e6, 3);
        decimal("p99_ms", h.getValueAtPercentile(99) / 1e6, 3);
        decimal("p999_ms", h.getValueAtPercentile(99.9) / 1e6, 3);
        decimal("max_ms", h.getMaxValue() / 1e6, 3);
        return this;
    }

    /** Adds {@code <prefix>_p50_ms}, {@code _p99_ms} and {@code _max_ms} of a histogram of nanoseconds. */
    Figures latency(String prefix, Histogram h) {
        count(prefix + "_samples", h.getTotalCount());
        decimal(prefix + "_p50_ms", h.getValueAtPercentile(50) / 1e6, 3);
        decimal(prefix + "_p99_ms", h.getValueAtPercentile(99) / 1e6, 3);
        decimal(prefix + "_max_ms", h.getMaxValue() / 1e6, 3);
        return this;
    }

    /** @return the scenario name */
    public String scenario() {
        return scenario;
    }

    /** @param name a figure @return its numeric value, or NaN when absent or not a number */
    public double number(String name) {
        return numbers.getOrDefault(name, Double.NaN);
    }

    /** @return every figure as text, in print order */
    public Map<String, String> values() {
        return Collections.unmodifiableMap(values);
    }

    /** @return the one-line rendering */
    public String line() {
        StringBuilder b = new StringBuilder(scenario);
        values.forEach((k, v) -> b.append(' ').append(k).append('=').append(v));
        return b.toString();
    }

    @Override
    public String toString() {
        return line();
    }
}
