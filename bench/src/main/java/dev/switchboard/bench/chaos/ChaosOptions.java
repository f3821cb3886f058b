package dev.switchboard.bench.chaos;

import dev.switchboard.bench.Args;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The options of {@code Bench chaos}, with their defaults (those of the long run in docs/reliability.md).
 *
 * @param backplane {@code --backplane}: redis, postgres, mongo, nats or kafka (required)
 * @param duration {@code --duration}: how long the load and the faults last (30m)
 * @param seed {@code --seed}: draws the schedule, the topics of each subscriber and the publishers'
 *     topics (default: the clock's milliseconds, printed)
 * @param nodes {@code --nodes}: Switchboard node processes (3)
 * @param javaSubscribers {@code --java-subscribers} (200)
 * @param jsSubscribers {@code --js-subscribers}: 0 when Node.js is not installed (100)
 * @param publishers {@code --publishers}: publisher k on node k mod nodes (3)
 * @param rate {@code --rate}: messages per second per publisher (20)
 * @param faultInterval {@code --fault-interval}: mean time between faults (20s)
 * @param retention {@code --retention}: messages the count-retention topics keep (500)
 * @param dir {@code --dir}: where logs, the schedule and the report go (target/chaos/BACKPLANE-SEED)
 */
public record ChaosOptions(String backplane, Duration duration, long seed, int nodes, int javaSubscribers,
                           int jsSubscribers, int publishers, double rate, Duration faultInterval, int retention,
                           Path dir) {

    /** Validates. */
    public ChaosOptions {
        BackplaneServers.create(backplane); // refuses an unknown name
        if (nodes < 2 || publishers < 1 || javaSubscribers < 0 || jsSubscribers < 0 || javaSubscribers + jsSubscribers < 1) {
            throw new IllegalArgumentException("need --nodes >= 2, --publishers >= 1 and at least one subscriber");
        }
        if (rate <= 0 || retention < 2) {
            throw new IllegalArgumentException("--rate must be positive and --retention at least 2");
        }
    }

    /**
     * @param args the command line
     * @return the options
     * @throws IllegalArgumentException for a missing backplane, a bad value or an unknown option
     */
    public static ChaosOptions parse(Args args) {
        String backplane = args.string("backplane", null);
        if (backplane == null) {
            throw new IllegalArgumentException("--backplane is required: one of " + BackplaneServers.NAMES);
        }
        long seed = Long.parseLong(args.string("seed", Long.toString(System.currentTimeMillis())));
        ChaosOptions o = new ChaosOptions(backplane, args.duration("duration", Duration.ofMinutes(30)), seed,
                args.integer("nodes", 3), args.integer("java-subscribers", 200), args.integer("js-subscribers", 100),
                args.integer("publishers", 3), args.decimal("rate", 20), args.duration("fault-interval",
                Duration.ofSeconds(20)), args.integer("retention", 500),
                Path.of(args.string("dir", "target/chaos/" + backplane + "-" + seed)));
        args.requireAllUsed();
        return o;
    }

    /** @return the same run with {@code n} JavaScript subscribers */
    ChaosOptions withJsSubscribers(int n) {
        return new ChaosOptions(backplane, duration, seed, nodes, javaSubscribers, n, publishers, rate, faultInterval,
                retention, dir);
    }

    /**
     * The soak's topics: two durable with count retention, two last-value, two plain.
     *
     * @return the topics
     */
    List<TopicKind> topics() {
        List<TopicKind> out = new ArrayList<>();
        out.add(new TopicKind("chaos.d.orders", true, retention));
        out.add(new TopicKind("chaos.d.audit", true, retention));
        out.add(new TopicKind("chaos.lv.price", true, 1));
        out.add(new TopicKind("chaos.lv.status", true, 1));
        out.add(new TopicKind("chaos.p.chat", false, 0));
        out.add(new TopicKind("chaos.p.presence", false, 0));
        return out;
    }

    /** @return the command line that replays this run */
    String replay() {
        return "Bench chaos --backplane " + backplane + " --seed " + seed + " --duration " + duration.toSeconds() + "s"
                + " --nodes " + nodes + " --java-subscribers " + javaSubscribers + " --js-subscribers " + jsSubscribers
                + " --publishers " + publishers + " --rate " + rate + " --fault-interval " + faultInterval.toMillis()
                + "ms --retention " + retention;
    }
}
