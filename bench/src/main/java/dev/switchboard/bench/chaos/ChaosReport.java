package dev.switchboard.bench.chaos;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * The result of a soak: the checker's findings, the faults injected, and the text that is printed and
 * written to {@code report.txt}.
 *
 * @param options the run's options
 * @param findings what the checker found
 * @param faults the faults injected, by kind
 * @param faultLog one line per fault as it was done
 * @param seconds how long the load ran
 * @param notes anything the run wants the reader to know (skipped parts, slow consumers closed)
 */
public record ChaosReport(ChaosOptions options, Checker.Findings findings, Map<String, Integer> faults,
                          List<String> faultLog, double seconds, List<String> notes) {

    /** @return true when the checker found no violation */
    public boolean passed() {
        return findings.violations().isEmpty();
    }

    /** @return how many violations */
    public int violations() {
        return findings.violations().size();
    }

    /** @return the faults injected, by kind */
    public Map<String, Integer> faultsByKind() {
        return faults;
    }

    /** @return events delivered to subscribers, all topics */
    public long delivered() {
        return findings.topics().stream().mapToLong(t -> t.delivered).sum();
    }

    /** @return the {@code recovered:false} reasons over every durable topic and their counts */
    public Map<String, Long> notRecovered() {
        Map<String, Long> out = new TreeMap<>();
        findings.topics().forEach(t -> t.notRecovered.forEach((k, v) -> out.merge(k, v, Long::sum)));
        return out;
    }

    /** @return {@code recovered:true} re-subscriptions over every durable topic */
    public long recovered() {
        return findings.topics().stream().mapToLong(t -> t.recovered).sum();
    }

    /** @return the report as text */
    public String text() {
        StringBuilder s = new StringBuilder();
        s.append(String.format(Locale.ROOT, "chaos %s: %s — %.0f s, seed %d, %d nodes, %d Java + %d JS subscribers, "
                        + "%d publishers at %.0f/s%n", options.backplane(), passed() ? "PASSED" : "FAILED", seconds,
                options.seed(), options.nodes(), options.javaSubscribers(), options.jsSubscribers(),
                options.publishers(), options.rate()));
        s.append("replay: ").append(options.replay()).append('\n');
        s.append("publishes: ").append(new TreeMap<>(findings.publishes())).append("; subscriber records read: ")
                .append(findings.records()).append('\n');
        s.append("faults: ").append(faults).append('\n');
        s.append(String.format("%-18s %-10s %5s %9s %5s %5s %5s %6s %7s %7s  %s%n", "topic", "kind", "subs",
                "delivered", "dup", "gap", "order", "false", "recov", "loss", "not recovered or skipped (why)"));
        for (TopicTally t : findings.topics()) {
            s.append(String.format(Locale.ROOT, "%-18s %-10s %5d %9d %5d %5d %5d %6d %7d %7s  %s%n", t.kind.name(),
                    t.kind.describe(), t.subscribers.size(), t.delivered, t.duplicates, t.gapMessages,
                    t.orderViolations, t.falseRecoveries, t.recovered,
                    t.kind.durable() ? "-" : String.format(Locale.ROOT, "%.3f%%", 100 * t.lossRate()),
                    t.notRecovered.isEmpty() ? "-" : t.notRecovered.toString()));
        }
        for (String n : notes) {
            s.append("note: ").append(n).append('\n');
        }
        s.append("violations: ").append(violations()).append('\n');
        findings.violations().stream().limit(20).forEach(v -> s.append("  ").append(v.describe()).append('\n'));
        if (!passed()) {
            s.append("FAILED with seed ").append(options.seed()).append(": replay with ").append(options.replay())
                    .append('\n');
        }
        return s.toString();
    }
}
