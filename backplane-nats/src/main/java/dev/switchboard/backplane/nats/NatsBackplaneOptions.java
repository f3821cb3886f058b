package dev.switchboard.backplane.nats;

import dev.switchboard.spi.BackplaneOptions;
import dev.switchboard.spi.UriQuery;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * Settings of a {@link NatsBackplane}: where NATS is, how to authenticate, and how durable topics' JetStream
 * streams are made. Immutable and validated at construction; build one with {@link #of(String)} or
 * {@link #builder()}.
 *
 * <pre>{@code
 * NatsBackplaneOptions.of("nats://127.0.0.1:4222?namespace=shop&replicas=3");
 * NatsBackplaneOptions.builder().servers(List.of("nats://n1:4222", "nats://n2:4222"))
 *         .backplane(BackplaneOptions.builder().namespace("shop").build()).build();
 * }</pre>
 *
 * <p>URI form: {@code nats://[user:password@|token@]host[:port][,host2[:port]…][/]?option=value…} (default
 * port 4222). Every property below except {@code servers} and every shared {@link BackplaneOptions} property
 * ({@code namespace}, {@code publishQueueMessages}, {@code livenessInterval}, ...) may be given as a query
 * parameter of the same name.
 *
 * @param servers server URLs as jnats takes them ({@code nats://user:pw@host:4222}); at least one
 * @param tls connect with TLS, trusting the JVM's default trust store ({@code javax.net.ssl.*}
 *     properties) (default false)
 * @param creds path of a NATS credentials file (JWT and NKey seed), or {@code null} for none
 * @param requestTimeout limit of a publish batch's flush and of every JetStream call (default 5 s)
 * @param streamPrefix prefix of the JetStream stream names of durable topics: letters, digits, '_' and '-'
 *     (default: the namespace with other characters replaced by '_', then '_')
 * @param replicas replicas of each stream on a clustered JetStream (default 1, at most 5)
 * @param memoryStorage keep streams in memory instead of files: faster, lost when the server restarts (a new
 *     epoch) (default false)
 * @param historyMaxAge the age limit of a stream whose topic's retention has none, or {@code null} (default)
 *     for none
 * @param historyMaxBytes the size limit of each stream in bytes, or -1 (default) for none
 * @param maxPayload the largest message the pipeline hands over, to match the server's {@code max_payload}
 *     (default 1 MiB, the server's default)
 * @param backplane the options every backplane shares; {@link BackplaneOptions#namespace()} is the first
 *     token(s) of every subject ({@code <namespace>.all}, {@code <namespace>.node.<id>},
 *     {@code <namespace>.history.<topic>})
 */
public record NatsBackplaneOptions(List<String> servers, boolean tls, String creds, Duration requestTimeout,
                                   String streamPrefix, int replicas, boolean memoryStorage, Duration historyMaxAge,
                                   long historyMaxBytes, int maxPayload, BackplaneOptions backplane) {

    /** Validates and copies. */
    public NatsBackplaneOptions {
        servers = List.copyOf(servers);
        Objects.requireNonNull(requestTimeout, "requestTimeout");
        Objects.requireNonNull(backplane, "backplane");
        if (servers.isEmpty()) {
            throw new IllegalArgumentException("at least one NATS server");
        }
        if (streamPrefix == null) {
            streamPrefix = backplane.namespace().replaceAll("[^A-Za-z0-9_-]", "_") + "_";
        }
        if (!streamPrefix.matches("[A-Za-z0-9_-]*")) {
            throw new IllegalArgumentException("streamPrefix must be letters, digits, '_' or '-': " + streamPrefix);
        }
        if (replicas < 1 || replicas > 5) {
            throw new IllegalArgumentException("replicas must be 1 to 5: " + replicas);
        }
        if (requestTimeout.isNegative() || requestTimeout.isZero()
                || historyMaxAge != null && (historyMaxAge.isNegative() || historyMaxAge.isZero())) {
            throw new IllegalArgumentException("requestTimeout and historyMaxAge must be positive");
        }
        if (historyMaxBytes < -1 || historyMaxBytes == 0 || maxPayload < 1) {
            throw new IllegalArgumentException("historyMaxBytes must be -1 or positive, maxPayload positive");
        }
    }

    /**
     * @param uri a {@code nats://} URI, options as query parameters
     * @return the options
     * @throws IllegalArgumentException when the URI is malformed or names an unknown option
     */
    public static NatsBackplaneOptions of(String uri) {
        Objects.requireNonNull(uri, "uri");
        if (!uri.toLowerCase(Locale.ROOT).startsWith("nats://")) {
            throw new IllegalArgumentException("not a nats:// URI: " + uri);
        }
        String rest = uri.substring("nats://".length()).replaceFirst("#.*$", "");
        int q = rest.indexOf('?');
        String authority = (q < 0 ? rest : rest.substring(0, q)).replaceFirst("/+$", "");
        if (authority.isEmpty() || authority.contains("/")) {
            throw new IllegalArgumentException("expected nats://host[:port][,host2…][?options]: " + uri);
        }
        Builder b = builder();
        // Credentials written once before the first host apply to every server (jnats reads them per URL).
        int at = authority.lastIndexOf('@');
        String userInfo = at < 0 ? "" : authority.substring(0, at + 1);
        b.servers(java.util.Arrays.stream(authority.substring(at + 1).split(","))
                .map(h -> "nats://" + userInfo + h).toList());
        UriQuery query = UriQuery.ofUri(uri);
        b.backplane(BackplaneOptions.bind(query, BackplaneOptions.defaults()));
        query.takeBoolean("tls").ifPresent(b::tls);
        query.take("creds").ifPresent(b::creds);
        query.takeDuration("requestTimeout").ifPresent(b::requestTimeout);
        query.take("streamPrefix").ifPresent(b::streamPrefix);
        query.takeInt("replicas").ifPresent(b::replicas);
        query.take("storage").ifPresent(s -> b.memoryStorage(switch (s.toLowerCase(Locale.ROOT)) {
            case "memory" -> true;
            case "file" -> false;
            default -> throw new IllegalArgumentException("storage must be file or memory: " + s);
        }));
        query.takeDuration("historyMaxAge").ifPresent(b::historyMaxAge);
        query.takeSize("historyMaxBytes").ifPresent(b::historyMaxBytes);
        query.takeInt("maxPayload").ifPresent(b::maxPayload);
        query.requireEmpty("NATS backplane");
        return b.build();
    }

    /** @return a builder with every default and server {@code nats://127.0.0.1:4222} */
    public static Builder builder() {
        return new Builder();
    }

    /** @return the servers without credentials, for logs and health */
    public String endpoint() {
        return String.join(",", servers.stream().map(s -> s.replaceFirst("//[^/@]*@", "//")).toList());
    }

    /** @return the servers without credentials */
    @Override
    public String toString() {
        return "NatsBackplaneOptions[" + endpoint() + ", tls " + tls + ", streamPrefix " + streamPrefix
                + ", replicas " + replicas + ", " + backplane + "]";
    }

    /** Builds {@link NatsBackplaneOptions}; not thread-safe. Defaults as documented on the record. */
    public static final class Builder {
        private List<String> servers = List.of("nats://127.0.0.1:4222");
        private boolean tls;
        private String creds;
        private Duration requestTimeout = Duration.ofSeconds(5);
        private String streamPrefix;
        private int replicas = 1;
        private boolean memoryStorage;
        private Duration historyMaxAge;
        private long historyMaxBytes = -1;
        private int maxPayload = 1 << 20;
        private BackplaneOptions backplane = BackplaneOptions.defaults();

        private Builder() {
        }

        /** @param v server URLs @return this */
        public Builder servers(List<String> v) {
            servers = v;
            return this;
        }

        /** @param v connect with TLS @return this */
        public Builder tls(boolean v) {
            tls = v;
            return this;
        }

        /** @param v credentials file, or null @return this */
        public Builder creds(String v) {
            creds = v;
            return this;
        }

        /** @param v flush and JetStream call limit @return this */
        public Builder requestTimeout(Duration v) {
            requestTimeout = v;
            return this;
        }

        /** @param v stream name prefix, or null for the namespace's @return this */
        public Builder streamPrefix(String v) {
            streamPrefix = v;
            return this;
        }

        /** @param v stream replicas @return this */
        public Builder replicas(int v) {
            replicas = v;
            return this;
        }

        /** @param v memory instead of file storage @return this */
        public Builder memoryStorage(boolean v) {
            memoryStorage = v;
            return this;
        }

        /** @param v default stream age limit, or null @return this */
        public Builder historyMaxAge(Duration v) {
            historyMaxAge = v;
            return this;
        }

        /** @param v stream size limit, or -1 @return this */
        public Builder historyMaxBytes(long v) {
            historyMaxBytes = v;
            return this;
        }

        /** @param v the largest message @return this */
        public Builder maxPayload(int v) {
            maxPayload = v;
            return this;
        }

        /** @param v the shared options @return this */
        public Builder backplane(BackplaneOptions v) {
            backplane = v;
            return this;
        }

        /** @return the options @throws IllegalArgumentException when invalid */
        public NatsBackplaneOptions build() {
            return new NatsBackplaneOptions(servers, tls, creds, requestTimeout, streamPrefix, replicas,
                    memoryStorage, historyMaxAge, historyMaxBytes, maxPayload, backplane);
        }
    }
}
