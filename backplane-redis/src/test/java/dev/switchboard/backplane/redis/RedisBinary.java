package dev.switchboard.backplane.redis;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import redis.embedded.core.ExecutableProvider;

/**
 * Finds a {@code redis-server} binary the tests may start: the one bundled in the embedded-redis jar (Redis
 * 6.2) first, else the one on the PATH. Never a running service: tests start their own processes on free
 * ports.
 *
 * @param path the executable
 * @param major its major version
 * @param version its full version
 */
record RedisBinary(String path, int major, String version) {
    private static final Pattern VERSION = Pattern.compile("v=(\\d+)\\.(\\d+)\\.(\\d+)");
    private static Optional<RedisBinary> embedded;
    private static Optional<RedisBinary> onPath;

    /** @return the embedded binary if it runs here, else the PATH one, else empty */
    static synchronized Optional<RedisBinary> any() {
        return embedded().or(RedisBinary::onPath);
    }

    /** @param major the least major version @return a binary of at least that version, PATH one first */
    static synchronized Optional<RedisBinary> atLeast(int major) {
        return onPath().filter(b -> b.major >= major).or(() -> embedded().filter(b -> b.major >= major));
    }

    /** @return the binary in the embedded-redis jar, when it runs on this machine */
    static synchronized Optional<RedisBinary> embedded() {
        if (embedded == null) {
            try {
                File f = ExecutableProvider.newJarResourceProvider().get();
                embedded = probe(f.getAbsolutePath());
            } catch (IOException | RuntimeException e) {
                embedded = Optional.empty();
            }
        }
        return embedded;
    }

    /** @return {@code redis-server} from the PATH, when present */
    static synchronized Optional<RedisBinary> onPath() {
        if (onPath == null) {
            onPath = Optional.empty();
            for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
                File f = new File(dir, "redis-server");
                if (f.canExecute()) {
                    onPath = probe(f.getAbsolutePath());
                    break;
                }
            }
        }
        return onPath;
    }

    private static Optional<RedisBinary> probe(String path) {
        try {
            Process p = new ProcessBuilder(path, "--version").redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(10, TimeUnit.SECONDS) || p.exitValue() != 0) {
                p.destroyForcibly();
                return Optional.empty();
            }
            Matcher m = VERSION.matcher(out);
            return m.find() ? Optional.of(new RedisBinary(path, Integer.parseInt(m.group(1)),
                    m.group(1) + "." + m.group(2) + "." + m.group(3))) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }
}
