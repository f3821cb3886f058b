package dev.switchboard.backplane.kafka.internal;

import dev.switchboard.backplane.kafka.KafkaBackplaneOptions;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;

/**
 * Parses {@code kafka://host:port[,host:port…][/]?option=value&…} by hand ({@link java.net.URI} rejects
 * comma-separated host lists). Every option of {@link KafkaBackplaneOptions.Builder} is a parameter of the same
 * name; {@code kafka.<setting>} passes a Kafka client setting through.
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
        for (String pair : query.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException("kafka:// URI parameter without a value: " + pair);
            }
            String key = decode(pair.substring(0, eq));
            String value = decode(pair.substring(eq + 1));
            apply(b, key, value);
        }
        return b;
    }

    private static void apply(KafkaBackplaneOptions.Builder b, String key, String value) {
        if (key.startsWith("kafka.") && key.length() > "kafka.".length()) {
            b.clientProperty(key.substring("kafka.".length()), value);
            return;
        }
        switch (key) {
            case "namespace", "channelPrefix" -> b.namespace(value);
            case "topic" -> b.topic(value);
            case "replicationFactor" -> b.replicationFactor(integer(key, value));
            case "linger" -> b.linger(duration(key, value));
            case "fetchMaxWait" -> b.fetchMaxWait(duration(key, value));
            case "publishTimeout" -> b.publishTimeout(duration(key, value));
            case "commandTimeout" -> b.commandTimeout(duration(key, value));
            case "healthCheckInterval" -> b.healthCheckInterval(duration(key, value));
            case "reconnectDelayMin" -> b.reconnectDelayMin(duration(key, value));
            case "reconnectDelayMax" -> b.reconnectDelayMax(duration(key, value));
            case "maxMessageBytes" -> b.maxMessageBytes(integer(key, value));
            default -> throw new IllegalArgumentException("unknown kafka:// URI parameter \"" + key
                    + "\" (Kafka client settings go as kafka.<setting>=…)");
        }
    }

    private static String decode(String s) {
        return URLDecoder.decode(s, StandardCharsets.UTF_8);
    }

    private static int integer(String key, String value) {
        try {
            return Integer.parseInt(value.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(key + " must be an integer: " + value);
        }
    }

    /**
     * @param key the parameter, for the message
     * @param value {@code 250ms}, {@code 2s}, {@code 5m}, {@code 1h}, {@code 1d}, ISO-8601 or milliseconds
     * @return the duration
     */
    static Duration duration(String key, String value) {
        String v = value.trim().toLowerCase(Locale.ROOT);
        try {
            if (v.startsWith("p")) {
                return Duration.parse(value.trim().toUpperCase(Locale.ROOT));
            }
            if (v.endsWith("ms")) {
                return Duration.ofMillis(Long.parseLong(v.substring(0, v.length() - 2)));
            }
            long n = Long.parseLong(v.substring(0, v.length() - 1));
            return switch (v.charAt(v.length() - 1)) {
                case 's' -> Duration.ofSeconds(n);
                case 'm' -> Duration.ofMinutes(n);
                case 'h' -> Duration.ofHours(n);
                case 'd' -> Duration.ofDays(n);
                default -> Duration.ofMillis(Long.parseLong(v));
            };
        } catch (NumberFormatException | DateTimeParseException | StringIndexOutOfBoundsException e) {
            throw new IllegalArgumentException(key + " must be a duration (250ms, 2s, 5m, PT2S): " + value);
        }
    }
}
