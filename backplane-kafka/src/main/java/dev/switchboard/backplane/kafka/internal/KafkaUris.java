package dev.switchboard.backplane.kafka.internal;

import dev.switchboard.backplane.kafka.KafkaBackplaneOptions;
import dev.switchboard.spi.BackplaneOptions;
import dev.switchboard.spi.UriQuery;
import java.util.List;
import java.util.Locale;

/**
 * Parses {@code kafka://host:port[,host:port…][/]?option=value&…} by hand ({@link java.net.URI} rejects
 * comma-separated host lists). The shared backplane options are bound by {@link BackplaneOptions#bind}; every
 * option of {@link KafkaBackplaneOptions.Builder} is a parameter of the same name; {@code kafka.<setting>} passes
 * a Kafka client setting through.
 */
public final class KafkaUris {

    private KafkaUris() {
    }

    /** @param uri a URI @return true when its scheme is {@code kafka} */
    public static boolean supports(String uri) {
        return uri != null && uri.toLowerCase(Locale.ROOT).startsWith("kafka://");
    }

    /**
     * @param uri the URI
     * @return a builder with the URI's servers and options
     * @throws IllegalArgumentException when the URI is malformed or has an unknown option
     */
    public static KafkaBackplaneOptions.Builder parse(String uri) {
        if (!supports(uri)) {
            throw new IllegalArgumentException("not a kafka:// URI: " + uri);
        }
        String rest = uri.substring("kafka://".length());
        int q = rest.indexOf('?');
        String hosts = q < 0 ? rest : rest.substring(0, q);
        String query = q < 0 ? "" : rest.substring(q + 1);
        if (hosts.endsWith("/")) {
            hosts = hosts.substring(0, hosts.length() - 1);
        }
        if (hosts.isBlank() || hosts.contains("/") || hosts.contains("@")) {
            throw new IllegalArgumentException("kafka:// URI needs host:port[,host:port…] and no path: " + uri);
        }
        KafkaBackplaneOptions.Builder b = KafkaBackplaneOptions.builder(hosts);
        UriQuery params = UriQuery.parse(query);
        b.backplane(BackplaneOptions.bind(params, BackplaneOptions.defaults()));
        for (String name : List.copyOf(params.remaining().keySet())) {
            if (name.startsWith("kafka.") && name.length() > "kafka.".length()) {
                b.clientProperty(name.substring("kafka.".length()), params.take(name).orElseThrow());
            }
        }
        params.take("topic").ifPresent(b::topic);
        params.takeInt("replicationFactor").ifPresent(b::replicationFactor);
        params.takeDuration("linger").ifPresent(b::linger);
        params.takeDuration("fetchMaxWait").ifPresent(b::fetchMaxWait);
        params.takeDuration("publishTimeout").ifPresent(b::publishTimeout);
        params.takeDuration("commandTimeout").ifPresent(b::commandTimeout);
        params.takeInt("maxMessageBytes").ifPresent(b::maxMessageBytes);
        params.requireEmpty("kafka:// URI (Kafka client settings go as kafka.<setting>=…)");
        return b;
    }
}
