package dev.switchboard.bench.server;

import dev.switchboard.backplane.InMemoryBackplane;
import dev.switchboard.backplane.LocalBackplane;
import dev.switchboard.spi.Backplane;
import java.lang.reflect.Method;
import java.util.ServiceLoader;
import java.util.function.Supplier;

/**
 * Resolves {@code --backplane}. Built in: {@code none} (one node, {@link LocalBackplane}) and
 * {@code memory} (any number of nodes in this JVM on one {@link InMemoryBackplane.Bus}). Anything else is
 * asked of the {@link BackplaneProvider}s on the classpath, then of the reflective convention below.
 *
 * <p>Convention for the backplane modules, so they work here with no code in the bench: for
 * {@code redis://…}, {@code postgres://…} / {@code postgresql://…} and {@code mongodb://…} the class
 * {@code dev.switchboard.backplane.<tech>.<Tech>Backplane} is loaded by name and its
 * {@code public static <Tech>Backplane create(String uri)} is called once per node.
 */
public final class Backplanes {

    private Backplanes() {
    }

    /**
     * @param spec the {@code --backplane} value
     * @param nodes how many nodes share it
     * @return one new backplane per call, per node
     * @throws IllegalArgumentException for an unknown scheme or one whose module is not on the classpath
     */
    public static Supplier<Backplane> resolve(String spec, int nodes) {
        if (spec.equals("none")) {
            if (nodes > 1) {
                throw new IllegalArgumentException("--backplane none serves one node; use memory (in-JVM) or a "
                        + "server backplane for --nodes " + nodes);
            }
            return LocalBackplane::new;
        }
        if (spec.equals("memory")) {
            InMemoryBackplane.Bus bus = InMemoryBackplane.bus();
            return bus::backplane;
        }
        for (BackplaneProvider p : ServiceLoader.load(BackplaneProvider.class)) {
            if (p.supports(spec)) {
                return p.factory(spec, nodes);
            }
        }
        return byConvention(spec);
    }

    private static Supplier<Backplane> byConvention(String spec) {
        int colon = spec.indexOf("://");
        String scheme = colon < 0 ? spec : spec.substring(0, colon);
        String tech = switch (scheme) {
            case "redis", "rediss" -> "Redis";
            case "postgres", "postgresql" -> "Postgres";
            case "mongodb", "mongodb+srv" -> "Mongo";
            default -> throw new IllegalArgumentException("unknown --backplane " + spec
                    + " (none, memory, redis://…, postgres://…, mongodb://…)");
        };
        String className = "dev.switchboard.backplane." + tech.toLowerCase() + "." + tech + "Backplane";
        Method create;
        try {
            create = Class.forName(className).getMethod("create", String.class);
        } catch (ReflectiveOperationException e) {
            throw new IllegalArgumentException("--backplane " + scheme + "://… needs " + className
                    + " with a static create(String uri) on the classpath (add its module's jar with -cp)", e);
        }
        return () -> {
            try {
                return (Backplane) create.invoke(null, spec);
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException("cannot create " + className + " for " + spec, e.getCause());
            }
        };
    }
}
