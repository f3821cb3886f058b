package dev.switchboard.examples;

import java.util.Locale;
import java.util.Objects;

/**
 * What an example runs with: which example, its port, its backplane and its repository. Each comes
 * from a command-line flag ({@code --port 8081 --backplane redis://127.0.0.1:6379 --repository
 * memory}), else a system property ({@code -Dport=…}, {@code -Dbackplane=…}, {@code -Drepository=…}),
 * else an environment variable ({@code PORT}, {@code BACKPLANE}, {@code REPOSITORY}), else the default:
 * {@code chat}, 8080, {@code none} (one node, no server), {@code memory}.
 *
 * @param example {@code chat}, {@code board} or {@code orders}
 * @param port the HTTP port, 0 for any free one
 * @param backplane a URI for {@link dev.switchboard.backplane.Backplanes#fromUri}
 * @param repository a URI for {@link dev.switchboard.crud.Repositories#fromUri}
 */
public record Settings(String example, int port, String backplane, String repository) {

    /** Validates. */
    public Settings {
        Objects.requireNonNull(example, "example");
        Objects.requireNonNull(backplane, "backplane");
        Objects.requireNonNull(repository, "repository");
    }

    /** @param port the HTTP port @return one node on that port, no backplane server, in-memory data */
    public static Settings local(int port) {
        return new Settings("chat", port, "none", "memory");
    }

    /**
     * @param args the command line
     * @return the settings
     * @throws IllegalArgumentException for an unknown flag or a flag without a value
     */
    public static Settings parse(String... args) {
        String example = null;
        String port = null;
        String backplane = null;
        String repository = null;
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (!a.startsWith("--")) {
                if (!a.isBlank()) {
                    example = a.toLowerCase(Locale.ROOT);
                }
                continue;
            }
            String name = a.contains("=") ? a.substring(2, a.indexOf('=')) : a.substring(2);
            String value;
            if (a.contains("=")) {
                value = a.substring(a.indexOf('=') + 1);
            } else if (i + 1 < args.length) {
                value = args[++i];
            } else {
                throw new IllegalArgumentException("--" + name + " needs a value");
            }
            switch (name) {
                case "port" -> port = value;
                case "backplane" -> backplane = value;
                case "repository" -> repository = value;
                default -> throw new IllegalArgumentException("unknown option --" + name
                        + " (use --port, --backplane, --repository)");
            }
        }
        return new Settings(
                example != null ? example : setting("example", "EXAMPLE", "chat"),
                Integer.parseInt(port != null ? port.trim() : setting("port", "PORT", "8080")),
                backplane != null ? backplane : setting("backplane", "BACKPLANE", "none"),
                repository != null ? repository : setting("repository", "REPOSITORY", "memory"));
    }

    /**
     * @return how long a shutdown's drain lets requests in flight finish: {@code -DdrainTimeoutSeconds=…}, else
     *     {@code DRAIN_TIMEOUT_SECONDS}, else 10 s (the manifests in {@code deploy/kubernetes} set it and budget
     *     {@code terminationGracePeriodSeconds} for it)
     * @throws IllegalArgumentException when it is not a whole number of seconds, at least 0
     */
    public static java.time.Duration drainTimeout() {
        String v = setting("drainTimeoutSeconds", "DRAIN_TIMEOUT_SECONDS", "10");
        try {
            long seconds = Long.parseLong(v);
            if (seconds >= 0) {
                return java.time.Duration.ofSeconds(seconds);
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException("DRAIN_TIMEOUT_SECONDS must be a whole number of seconds >= 0: " + v);
    }

    /**
     * The cluster key every node of an example cluster signs its backplane messages with: the system
     * property {@code clusterKey} or the environment variable {@code SWITCHBOARD_CLUSTER_KEY} (and, during a
     * rotation, {@code clusterKeyPrevious} / {@code SWITCHBOARD_CLUSTER_KEY_PREVIOUS}). Never committed: each
     * deployment makes its own ({@code openssl rand -base64 32}). Unset: unsigned, and a node on a real
     * backplane logs that the cluster is unauthenticated (docs/security.md).
     *
     * @return the trust
     * @throws IllegalArgumentException when a key is shorter than 32 bytes
     */
    public static dev.switchboard.ClusterTrust clusterTrust() {
        return dev.switchboard.ClusterTrust.builder()
                .key(setting("clusterKey", "SWITCHBOARD_CLUSTER_KEY", null))
                .previousKeys(setting("clusterKeyPrevious", "SWITCHBOARD_CLUSTER_KEY_PREVIOUS", null))
                .build();
    }

    private static String setting(String property, String env, String fallback) {
        String v = System.getProperty(property);
        if (v == null || v.isBlank()) {
            v = System.getenv(env);
        }
        return v == null || v.isBlank() ? fallback : v.trim();
    }
}
