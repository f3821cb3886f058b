package dev.switchboard.spring.boot;

import dev.switchboard.Switchboard;

/**
 * Registers an application's handlers on the auto-configured {@link Switchboard} node. Declare one or
 * more as beans; each runs once, in {@link org.springframework.core.annotation.Order} order, after the
 * node was built and before the web server accepts its first connection.
 *
 * <pre>{@code
 * @Bean
 * SwitchboardConfigurer chat() {
 *     return board -> {
 *         board.onConnect(conn -> conn.join("lobby"));
 *         board.on("chat.send", String.class, (conn, text) ->
 *             board.to(Audience.topic("lobby")).emit("chat.message", conn.identity().name() + ": " + text));
 *         board.onRequest("echo", (conn, data) -> data);
 *     };
 * }
 * }</pre>
 *
 * <p>Runs on the thread that creates the application context. An exception fails the application's
 * start (the node is closed first).
 */
@FunctionalInterface
public interface SwitchboardConfigurer {

    /** @param board the node, started, with no connection yet */
    void configure(Switchboard board);
}
