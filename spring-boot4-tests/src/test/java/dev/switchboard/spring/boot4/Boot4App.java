package dev.switchboard.spring.boot4;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.Audience;
import dev.switchboard.Identity;
import dev.switchboard.PlainEndpoint;
import dev.switchboard.TextRenderer;
import dev.switchboard.cloudevents.CloudEventJson;
import dev.switchboard.spi.AuthenticationException;
import dev.switchboard.spi.Authenticator;
import dev.switchboard.spring.boot.SwitchboardConfigurer;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Bean;

/**
 * A Boot 4 application with the starter: a token is the user id, none gets 401; greeting, chat, echo; CloudEvents of
 * type order.created told to the customer; a plain chat at /chat/{name} that speaks into the lobby.
 */
@SpringBootApplication
public class Boot4App {
    final List<String> disconnects = new CopyOnWriteArrayList<>();

    @Bean
    Authenticator tokens() {
        return handshake -> {
            String token = handshake.bearerToken();
            if (token == null || token.isBlank()) {
                throw AuthenticationException.unauthorized("a token is required");
            }
            return Identity.user(token);
        };
    }

    @Bean
    SwitchboardConfigurer chat() {
        return board -> {
            board.onConnect(conn -> {
                conn.join("lobby");
                conn.send("greeting", "hi " + conn.identity().userId());
            });
            board.on("chat.send", String.class, (conn, text) ->
                    board.to(Audience.topic("lobby")).emit("chat.message", conn.identity().userId() + ": " + text));
            board.onRequest("echo", (conn, data) -> data);
            board.onDisconnect((conn, code, reason) -> disconnects.add(conn.identity().userId() + ":" + code));
            board.onCloudEvent("order.created", event -> {
                JsonNode order = CloudEventJson.data(event, board.mapper());
                board.to(Audience.user(order.path("customerId").asText()))
                        .emit("chat.message", "order " + order.path("orderCode").asText());
            });
            board.plainEndpoint("/chat/{name}", PlainEndpoint.builder()
                    .authenticator((handshake, path) -> Identity.user(path.get("name")))
                    .onOpen(conn -> conn.send("chat.message", "Hi " + conn.attributes().get("name") + "!"))
                    .onText((conn, text) -> board.to(Audience.topic("lobby"))
                            .emit("chat.message", conn.attributes().get("name") + ": " + text))
                    .renderer(TextRenderer.onlyEvent("chat.message"))
                    .build());
        };
    }
}
