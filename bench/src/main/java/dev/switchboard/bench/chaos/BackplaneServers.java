package dev.switchboard.bench.chaos;

import java.util.List;

/** The backplane servers the soak can own, by {@code --backplane} name. */
final class BackplaneServers {
    /** Every name {@link #create} knows, in the order the documentation lists them. */
    static final List<String> NAMES = List.of("redis", "postgres", "mongo", "nats", "kafka");

    private BackplaneServers() {
    }

    /**
     * @param name a name of {@link #NAMES}
     * @return a new, unstarted server
     * @throws IllegalArgumentException for another name
     */
    static BackplaneServer create(String name) {
        return switch (name) {
            case "redis" -> new RedisServer();
            case "postgres" -> new PostgresServer();
            case "mongo" -> new MongoServer();
            case "nats" -> new NatsServer();
            case "kafka" -> new KafkaServer();
            default -> throw new IllegalArgumentException("--backplane must be one of " + NAMES + ": " + name);
        };
    }
}
