package dev.switchboard.spring.boot.httpapp;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.Audience;
import dev.switchboard.Identity;
import dev.switchboard.PlainEndpoint;
import dev.switchboard.TextRenderer;
import dev.switchboard.cloudevents.CloudEventJson;
import dev.switchboard.http.HttpAuthorizer;
import dev.switchboard.spi.AuthenticationException;
import dev.switchboard.spi.Authenticator;
import dev.switchboard.spring.boot.SwitchboardConfigurer;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Bean;

/**
 * The application of the HTTP-endpoint and plain-endpoint tests: alice is an admin of acme, bob a member of
 * acme (a token is the user id); CloudEvents of type {@code order.created} are pushed to the order's customer;
 * a plain chat lives at {@code /chat/{name}}; cloudevents.json clients' {@code chat.send} events are recorded.
 */
@SpringBootApplication
public class HttpApp {
    /** The emit API key of the test's caller. */
    public static final String KEY = "orders-service-key-0123456789";
    /** A key the switchboardEventsAuthorizer bean accepts for POST /events. */
    public static final String EVENTS_BEAN_KEY = "events-bean-key-0123456789";

    /** What cloudevents.json clients said, as {@code user:text}. */
    public final BlockingQueue<String> said = new LinkedBlockingQueue<>();

    private static final Map<String, Identity> USERS = Map.of(
            "alice", Identity.builder("alice").roles("admin").organisations("acme").build(),
            "bob", Identity.builder("bob").roles("member").organisations("acme").build());

    @Bean
    Authenticator tokens() {
        return handshake -> {
            String token = handshake.bearerToken();
            Identity identity = token == null ? null : USERS.get(token);
            if (identity == null) {
                throw AuthenticationException.unauthorized("a known token is required");
            }
            return identity;
        };
    }

    /** Accepted for POST /events next to the properties' keys. */
    @Bean
    HttpAuthorizer switchboardEventsAuthorizer() {
        return request -> {
            if (!EVENTS_BEAN_KEY.equals(request.header("X-API-Key"))) {
                throw AuthenticationException.unauthorized("not the events bean's key");
            }
            return Identity.user("events-bean");
        };
    }

    @Bean
    SwitchboardConfigurer handlers() {
        return board -> {
            board.onCloudEvent("order.created", event -> {
                JsonNode order = CloudEventJson.data(event, board.mapper());
                board.to(Audience.user(order.path("customerId").asText())).emit("order.enriched",
                        Map.of("orderCode", order.path("orderCode").asText(), "source", event.getSource().toString()));
            });
            board.on("chat.send", (conn, data) -> said.add(conn.identity().userId() + ":" + data.path("text").asText()));
            board.plainEndpoint("/chat/{name}", PlainEndpoint.builder()
                    .authenticator((handshake, path) -> Identity.user(path.get("name")))
                    .onOpen(conn -> {
                        // In the room before the greeting: a client that has read it hears what is said next.
                        conn.join("room");
                        conn.send("chat.message", "Hi " + conn.attributes().get("name") + "!");
                    })
                    .onText((conn, text) -> board.to(Audience.topic("room"))
                            .emit("chat.message", conn.attributes().get("name") + ": " + text))
                    .renderer(TextRenderer.onlyEvent("chat.message"))
                    .build());
            board.onConnect(conn -> {
                if (List.of("alice", "bob").contains(conn.identity().userId())) {
                    conn.join("room");
                }
            });
        };
    }
}
