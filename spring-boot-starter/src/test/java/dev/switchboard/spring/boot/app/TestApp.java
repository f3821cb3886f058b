package dev.switchboard.spring.boot.app;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.Audience;
import dev.switchboard.Identity;
import dev.switchboard.crud.InMemoryRepository;
import dev.switchboard.crud.Repository;
import dev.switchboard.spi.AuthenticationException;
import dev.switchboard.spi.Authenticator;
import dev.switchboard.spi.SubscriptionPolicy;
import dev.switchboard.spring.boot.SwitchboardConfigurer;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Bean;

/**
 * The application the starter's tests run: a token is the user id ("banned" is refused with 403, none
 * with 401), every connection is greeted and joins the lobby, {@code chat.send} is broadcast to it,
 * {@code echo} replies with its data, and bean {@code tasks} is a CRUD collection.
 */
@SpringBootApplication
public class TestApp {
    /** The event every chat line travels as. */
    public static final String MESSAGE = "chat.message";

    /** What the disconnect handler saw, for the shutdown tests. */
    public final List<String> disconnects = new CopyOnWriteArrayList<>();

    @Bean
    Authenticator tokens() {
        return handshake -> {
            String token = handshake.bearerToken();
            if (token == null || token.isBlank()) {
                throw AuthenticationException.unauthorized("a token is required");
            }
            if (token.equals("banned")) {
                throw AuthenticationException.forbidden("banned");
            }
            return Identity.user(token);
        };
    }

    @Bean
    SubscriptionPolicy subscriptions() {
        return SubscriptionPolicy.allowPrefixes("collection:", "public.");
    }

    @Bean
    Repository tasks() {
        return InMemoryRepository.create();
    }

    @Bean
    SwitchboardConfigurer chat() {
        return board -> {
            board.onConnect(conn -> {
                conn.join("lobby");
                conn.send("greeting", "hi " + conn.identity().userId());
            });
            board.on("chat.send", String.class, (conn, text) ->
                    board.to(Audience.topic("lobby")).emit(MESSAGE, conn.identity().userId() + ": " + text));
            board.onRequest("echo", (conn, data) -> data);
            board.onRequest("publish", JsonNode.class, (conn, data) -> {
                board.to(Audience.topic(data.path("topic").asText())).emit("msg", data.path("payload"));
                return true;
            });
            board.onDisconnect((conn, code, reason) -> disconnects.add(conn.identity().userId() + ":" + code));
        };
    }
}
