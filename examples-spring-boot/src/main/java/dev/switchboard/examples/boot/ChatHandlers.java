package dev.switchboard.examples.boot;

import dev.switchboard.Audience;
import dev.switchboard.ConnectionInfo;
import dev.switchboard.Identity;
import dev.switchboard.spi.AuthenticationException;
import dev.switchboard.spi.Authenticator;
import dev.switchboard.spring.boot.SwitchboardConfigurer;
import java.util.List;
import java.util.Map;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The chat's Switchboard beans: who a client is, and what happens on the socket. Everyone is in the
 * {@value #ROOM} topic; {@code chat.send} is broadcast as {@code chat.message}; the {@code who} request
 * answers with the names in the room on every instance (a cluster query).
 */
@Configuration(proxyBeanMethods = false)
public class ChatHandlers {
    /** The topic every chat member is in. */
    public static final String ROOM = "room";
    /** The event every chat line travels as. */
    public static final String MESSAGE = "chat.message";

    /**
     * A demo "authenticator": the name comes from the {@code name} query parameter and is trusted as is. A real
     * application verifies a token here (see docs/security.md), and refuses with 401 or 403 by throwing.
     *
     * @return the authenticator
     */
    @Bean
    Authenticator demoNames() {
        return handshake -> {
            String name = handshake.queryParam("name");
            if (name == null || name.isBlank() || name.length() > 40) {
                throw AuthenticationException.unauthorized("connect with ?name= (1 to 40 characters)");
            }
            return Identity.user(name.trim());
        };
    }

    /** @return the chat's handlers, registered once at startup */
    @Bean
    SwitchboardConfigurer chat() {
        return board -> {
            board.onConnect(conn -> {
                conn.join(ROOM);
                conn.send(MESSAGE, "Hi " + conn.identity().userId() + "! You are connected to node " + board.nodeId());
                board.to(Audience.topic(ROOM)).emit(MESSAGE, conn.identity().userId() + " joined");
            });
            board.on("chat.send", String.class, (conn, text) ->
                    board.to(Audience.topic(ROOM)).emit(MESSAGE, conn.identity().userId() + ": " + text));
            board.onDisconnect((conn, code, reason) ->
                    board.to(Audience.topic(ROOM)).emit(MESSAGE, conn.identity().userId() + " left"));
            board.onRequest("who", (conn, data) -> board.cluster().connectionsInTopic(ROOM).thenApply(answer -> {
                List<String> names = answer.value().stream().map(ConnectionInfo::userId).sorted().toList();
                return Map.of("names", names, "missingNodes", answer.missing());
            }));
        };
    }
}
